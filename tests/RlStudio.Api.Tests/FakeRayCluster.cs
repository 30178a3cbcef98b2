using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RlStudio.Api.Tests;

/// <summary>
/// A stand-in for a Ray head node's dashboard that follows Ray's Jobs REST API as its documentation gives it
/// (<c>POST /api/jobs/</c> → <c>{job_id, submission_id}</c>; <c>GET /api/jobs/{id}</c> → JobDetails with <c>status</c>
/// PENDING/RUNNING/STOPPED/SUCCEEDED/FAILED and <c>message</c>; <c>POST /api/jobs/{id}/stop</c> → <c>{stopped}</c>;
/// <c>GET /api/jobs/{id}/logs</c> → <c>{logs}</c>), over real HTTP. Ray itself cannot be installed here.
/// </summary>
public sealed class FakeRayCluster : IAsyncDisposable
{
    public sealed class Job
    {
        public required JsonObject Submission { get; init; }
        public string Status { get; set; } = "PENDING";
        public string? Message { get; set; }
        public string Logs { get; set; } = "";
        public int StopCalls { get; set; }
    }

    private readonly WebApplication _app;

    public ConcurrentDictionary<string, Job> Jobs { get; } = new();

    /// <summary>The headers of every request, in order.</summary>
    public ConcurrentQueue<IHeaderDictionary> Requests { get; } = new();

    /// <summary>When set, the next submission is refused with this answer (400).</summary>
    public string? RefuseNextSubmission { get; set; }

    public string Address { get; }

    private FakeRayCluster(WebApplication app, string address) => (_app, Address) = (app, address);

    public static async Task<FakeRayCluster> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeRayCluster? fake = null;
        app.Use(async (context, next) =>
        {
            fake!.Requests.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            await next();
        });
        app.MapPost("/api/jobs/", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            if (fake!.RefuseNextSubmission is { } refusal)
            {
                fake.RefuseNextSubmission = null;
                return Results.Text(refusal, statusCode: 400);
            }
            var id = body["submission_id"]?.GetValue<string>() ?? $"raysubmit_{Guid.NewGuid():N}";
            if (!fake.Jobs.TryAdd(id, new Job { Submission = body })) return Results.Text($"Job with submission_id {id} already exists.", statusCode: 400);
            return Results.Json(new { job_id = id, submission_id = id });
        });
        app.MapGet("/api/jobs/{id}", (string id) => fake!.Jobs.TryGetValue(id, out var job)
            ? Results.Json(new
            {
                type = "SUBMISSION", job_id = (string?)null, submission_id = id, driver_info = (object?)null, status = job.Status,
                entrypoint = job.Submission["entrypoint"]!.GetValue<string>(), message = job.Message, error_type = (string?)null,
                start_time = 1700000000000, end_time = (long?)null, metadata = job.Submission["metadata"], runtime_env = job.Submission["runtime_env"],
            })
            : Results.Text($"Job {id} does not exist", statusCode: 404));
        app.MapPost("/api/jobs/{id}/stop", (string id) =>
        {
            if (!fake!.Jobs.TryGetValue(id, out var job)) return Results.Text($"Job {id} does not exist", statusCode: 404);
            job.StopCalls++;
            var stopped = job.Status is "PENDING" or "RUNNING";
            if (stopped) (job.Status, job.Message) = ("STOPPED", "Job was intentionally stopped.");
            return Results.Json(new { stopped });
        });
        app.MapGet("/api/jobs/{id}/logs", (string id) => fake!.Jobs.TryGetValue(id, out var job)
            ? Results.Json(new { logs = job.Logs })
            : Results.Text($"Job {id} does not exist", statusCode: 404));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeRayCluster(app, address);
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
