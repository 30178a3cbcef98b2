using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class RunsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task CreateRun_ValidRequest_Returns201QueuedRunAndEnqueuesJob()
    {
        var name = ApiFixture.UniqueName("create");
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", ApiFixture.ValidRunRequest(name));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Equal(name, run.Name);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(Algorithm.Grpo, run.Algorithm);
        Assert.Equal("default", run.Queue);
        Assert.Equal("tests", run.Experiment);
        Assert.Equal(10, run.TotalSteps);
        Assert.Equal(16, run.Settings.BatchSize);
        Assert.Equal(4, run.Settings.GroupSize);
        Assert.Equal($"/api/runs/{run.Id}", response.Headers.Location?.OriginalString);
        var jobId = await fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == run.Id).Select(r => r.JobId).SingleAsync());
        Assert.False(string.IsNullOrEmpty(jobId));
    }

    [Fact]
    public async Task CreateRun_WireFormat_IsCamelCaseWithSnakeCaseEnums()
    {
        var run = await fixture.CreateRunAsync();
        var json = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.Id}");
        Assert.Equal("grpo", json.GetProperty("algorithm").GetString());
        Assert.Equal("Queued", json.GetProperty("status").GetString());
        Assert.Equal("exact_match", json.GetProperty("rewards")[0].GetProperty("type").GetString());
        Assert.Equal(10, json.GetProperty("settings").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task ListRuns_NewestFirstAndFilters_ReturnMatchingRuns()
    {
        var experiment = ApiFixture.UniqueName("exp");
        var first = await Post(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("a"), experiment: experiment));
        var second = await Post(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("b"), experiment: experiment));

        var runs = await fixture.Client.GetFromJsonAsync<List<RunDto>>($"/api/runs?experiment={experiment}");
        Assert.Equal([second.Id, first.Id], runs!.Select(r => r.Id));

        await fixture.Client.PostAsync($"/api/runs/{first.Id}/cancel", null);
        var cancelled = await fixture.Client.GetFromJsonAsync<List<RunDto>>($"/api/runs?experiment={experiment}&status=Cancelled");
        Assert.Equal([first.Id], cancelled!.Select(r => r.Id));

        var bad = await fixture.Client.GetAsync("/api/runs?status=Sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    public static TheoryData<string, string, string> InvalidRequests => new()
    {
        // settings JSON (merged into a valid grpo request), the field, a fragment of its message
        { """{"settings": {"stepz": 5}}""", "settings.stepz", "unknown setting" },
        { """{"settings": {"steps": "ten"}}""", "settings.steps", "integer" },
        { """{"settings": {"steps": 2.5}}""", "settings.steps", "integer" },
        { """{"settings": {"learningRate": "fast"}}""", "settings.learningRate", "number" },
        { """{"settings": {"steps": 0}}""", "settings.steps", "out of range" },
        { """{"settings": {"learningRate": 2}}""", "settings.learningRate", "out of range" },
        { """{"settings": {"clipEpsilon": 1}}""", "settings.clipEpsilon", "out of range" },
        { """{"settings": {"batchSize": 30, "groupSize": 8}}""", "settings.batchSize", "batchSize 30 is not divisible by groupSize 8" },
        { """{"algorithm": "sft", "settings": {"groupSize": 4}}""", "settings.groupSize", "does not apply to sft" },
        { """{"dataset": "no-such-dataset"}""", "dataset", "does not exist" },
        { """{"dataset": null}""", "dataset", "required" },
        { """{"base": {"preset": "tiny", "runId": 1}}""", "base", "exactly one" },
        { """{"base": null}""", "base", "exactly one" },
        { """{"base": {"preset": "huge"}}""", "base.preset", "unknown preset" },
        { """{"base": {"checkpointId": 987654321}}""", "base.checkpointId", "does not exist" },
        { """{"base": {"runId": 987654321}}""", "base.runId", "does not exist" },
        { """{"rewards": [{"type": "vibes", "weight": 1}]}""", "rewards[0].type", "unknown reward type" },
        { """{"rewards": [{"type": "exact_match", "weight": "NaN"}]}""", "rewards[0].weight", "finite" },
        { """{"rewards": []}""", "rewards", "at least one" },
        { """{"algorithm": "dqn"}""", "algorithm", "unknown algorithm" },
        { """{"name": ""}""", "name", "required" },
        { """{"queue": "GPU!"}""", "queue", "lowercase" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task CreateRun_InvalidField_Returns400NamingFieldAndStoresNothing(string patch, string field, string message)
    {
        var name = ApiFixture.UniqueName("invalid");
        var request = JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(name))!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            request[key] = value?.DeepClone();
        }
        var response = await fixture.Client.PostAsync("/api/runs", JsonContent.Create(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        var stored = await fixture.WithDbAsync(db => db.Runs.CountAsync(r => r.Name == name || r.Name == ""));
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task CreateRun_SeveralBadFields_NamesEachOne()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", new { algorithm = "grpo", settings = new { steps = -1, foo = 1 } });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "dataset", "base", "rewards", "settings.steps", "settings.foo" }, fields);
    }

    [Fact]
    public async Task CancelRun_Queued_BecomesCancelledAndSecondCancelConflicts()
    {
        var run = await fixture.CreateRunAsync();

        var first = await fixture.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cancelled = (await first.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);

        var second = await fixture.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        var claim = await fixture.Worker("w1").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new { worker = "w1" });
        Assert.Equal(HttpStatusCode.Conflict, claim.StatusCode);

        var jobId = await fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == run.Id).Select(r => r.JobId).SingleAsync());
        var job = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        Assert.Equal(DeletedState.StateName, job.History[0].StateName);
    }

    [Fact]
    public async Task CancelRun_Running_BecomesCancelRequestedAndWorkerSeesIt()
    {
        var run = await fixture.CreateRunAsync();
        (await fixture.Worker("w1").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new { worker = "w1" })).EnsureSuccessStatusCode();
        (await fixture.Worker("w1").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new { worker = "w1", status = "Running", step = 0 })).EnsureSuccessStatusCode();

        var response = await fixture.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        Assert.Equal(RunStatus.CancelRequested, (await response.Content.ReadFromJsonAsync<RunDto>())!.Status);

        var progress = await fixture.Worker("w1").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/progress", new { worker = "w1", step = 3 });
        var reply = (await progress.Content.ReadFromJsonAsync<RlStudio.Contracts.Ingest.RunProgressReply>())!;
        Assert.True(reply.CancelRequested);
        Assert.Equal(RunStatus.CancelRequested, reply.Status);

        var done = await fixture.Worker("w1").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new { worker = "w1", status = "Cancelled", step = 3 });
        done.EnsureSuccessStatusCode();
        var final = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Cancelled, final!.Status);
        Assert.Equal(3, final.Step);
    }

    private async Task<RunDto> Post(object request)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }
}
