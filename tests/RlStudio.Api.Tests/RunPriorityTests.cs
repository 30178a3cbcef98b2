using System.Collections.Concurrent;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// Run priority through the real Hangfire PostgreSQL storage: a Hangfire server set up as a worker node's (the queues of
/// <see cref="JobQueues.Served"/>, one worker) starts queued runs highest priority first, older first on a tie.
/// </summary>
[Collection("api")]
public sealed class RunPriorityTests(ApiFixture fixture)
{
    private sealed class RecordingJob : ITrainRunJob
    {
        public ConcurrentQueue<long> Started { get; } = new();

        public Task TrainAsync(long runId, CancellationToken cancellationToken)
        {
            Started.Enqueue(runId);
            return Task.CompletedTask;
        }
    }

    private sealed class SingleJobActivator(RecordingJob job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => job;
    }

    [Fact]
    public async Task QueuedRuns_StartHighestPriorityFirst_OlderFirstOnATie()
    {
        var queue = ApiFixture.UniqueName("prio").ToLowerInvariant();
        var normal = await CreateRunAsync(queue, null);
        var urgent = await CreateRunAsync(queue, 5);
        var low = await CreateRunAsync(queue, -3);
        var urgentLater = await CreateRunAsync(queue, 5);
        var beyondRange = await CreateRunAsync(queue, 1000);

        var job = new RecordingJob();
        var options = new BackgroundJobServerOptions
        {
            ServerName = queue, Queues = JobQueues.Served([queue]), WorkerCount = 1, Activator = new SingleJobActivator(job),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        using (new BackgroundJobServer(options, fixture.Factory.Services.GetRequiredService<JobStorage>()))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (job.Started.Count < 5 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(new[] { beyondRange, urgent, urgentLater, normal, low }, job.Started.ToArray());
    }

    [Theory]
    [InlineData(0, "p09_default")]
    [InlineData(9, "p00_default")]
    [InlineData(-9, "p18_default")]
    [InlineData(int.MaxValue, "p00_default")]
    [InlineData(-50, "p18_default")]
    public void ForRun_RanksCountDownFromTheHighestPriority(int priority, string expected) =>
        Assert.Equal(expected, JobQueues.ForRun("default", priority));

    [Fact]
    public void Served_HasThePlainQueuesAndEveryRankOfEach()
    {
        var served = JobQueues.Served(["gpu", "default", "gpu"]);
        Assert.Equal(2 + 2 * 19, served.Length);
        Assert.Equal(["gpu", "default"], served[..2]);
        Assert.Contains("p00_gpu", served);
        Assert.Contains("p18_default", served);
    }

    private async Task<long> CreateRunAsync(string queue, int? priority)
    {
        var request = System.Text.Json.JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("prio")))!.AsObject();
        request["queue"] = queue;
        if (priority is { } p) request["priority"] = p;
        var response = await fixture.Client.PostAsync("/api/runs", JsonContent.Create(request));
        response.EnsureSuccessStatusCode();
        var run = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Equal(priority ?? 0, run.Priority);
        return run.Id;
    }
}
