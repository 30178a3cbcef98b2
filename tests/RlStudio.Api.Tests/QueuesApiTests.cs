using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;

namespace RlStudio.Api.Tests;

/// <summary>
/// Queues (issue 13, part): a run waiting on a queue no online worker serves says so — in <c>GET /api/runs/{id}</c>, the
/// list and <c>POST /api/runs/validate</c> — until a worker serving it comes online; <c>GET /api/queues</c> shows each
/// queue's waiting runs and workers; a queued run moves to another queue or priority (its job enqueued anew), others not.
/// </summary>
[Collection("api")]
public sealed class QueuesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task RunOnAnUnservedQueue_IsWarnedOf_UntilAWorkerServesIt()
    {
        var queue = ApiFixture.UniqueName("nowhere").ToLowerInvariant();
        var request = Request(queue);
        var check = await (await fixture.Client.PostAsJsonAsync("/api/runs/validate", request)).Content.ReadFromJsonAsync<RunValidationDto>();
        Assert.True(check!.Valid);
        Assert.Contains($"No online worker serves queue '{queue}'", Assert.Single(check.Warnings!));

        var created = await (await fixture.Client.PostAsJsonAsync("/api/runs", request)).Content.ReadFromJsonAsync<RunDto>();
        Assert.Contains($"queue '{queue}'", Assert.Single(created!.Warnings!));
        var fetched = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{created.Id}");
        Assert.Single(fetched!.Warnings!);
        var listed = await fixture.Client.GetFromJsonAsync<List<RunDto>>("/api/runs?status=Queued&limit=1000");
        Assert.Single(listed!.Single(r => r.Id == created.Id).Warnings!);
        var stuck = (await fixture.Client.GetFromJsonAsync<List<QueueDto>>("/api/queues"))!.Single(q => q.Name == queue);
        Assert.Equal((1, 0, true), (stuck.Waiting, stuck.Workers.Count, stuck.Stuck));
        Assert.Equal(created.CreatedAt, stuck.OldestWaitingSince!.Value, TimeSpan.FromMilliseconds(1));

        var worker = ApiFixture.UniqueName("node");
        (await fixture.Worker(worker).PostAsJsonAsync("/api/ingest/workers/heartbeat", new WorkerHeartbeat(worker, "cpu", null, null, [queue]))).EnsureSuccessStatusCode();

        Assert.Null((await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{created.Id}"))!.Warnings);
        var served = (await fixture.Client.GetFromJsonAsync<List<QueueDto>>("/api/queues"))!.Single(q => q.Name == queue);
        Assert.Equal([worker], served.Workers);
        Assert.False(served.Stuck);
        var checkAgain = await (await fixture.Client.PostAsJsonAsync("/api/runs/validate", request)).Content.ReadFromJsonAsync<RunValidationDto>();
        Assert.Empty(checkAgain!.Warnings!);
        Assert.Contains(checkAgain.Devices, d => d.Worker == worker);
    }

    [Fact]
    public async Task QueuedRun_MovesToAnotherQueueAndPriority_ItsJobEnqueuedAnew()
    {
        var from = ApiFixture.UniqueName("from").ToLowerInvariant();
        var to = ApiFixture.UniqueName("to").ToLowerInvariant();
        var run = (await (await fixture.Client.PostAsJsonAsync("/api/runs", Request(from))).Content.ReadFromJsonAsync<RunDto>())!;
        var oldJob = await JobIdAsync(run.Id);

        var response = await fixture.Client.PatchAsJsonAsync($"/api/runs/{run.Id}", new UpdateRunRequest(Queue: to, Priority: 4));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var moved = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Equal((to, 4, RunStatus.Queued), (moved.Queue, moved.Priority, moved.Status));
        var monitor = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(DeletedState.StateName, monitor.JobDetails(oldJob).History[0].StateName);
        var newJob = await JobIdAsync(run.Id);
        Assert.NotEqual(oldJob, newJob);
        Assert.Contains(monitor.EnqueuedJobs(JobQueues.ForRun(to, 4), 0, 100), j => j.Key == newJob);
        var queues = (await fixture.Client.GetFromJsonAsync<List<QueueDto>>("/api/queues"))!;
        Assert.DoesNotContain(queues, q => q.Name == from);
        Assert.Equal(1, queues.Single(q => q.Name == to).Waiting);
    }

    [Fact]
    public async Task RunningRun_CannotMove_AndABadQueueNameIsRefused()
    {
        var run = await fixture.CreateRunAsync();
        var bad = await fixture.Client.PatchAsJsonAsync($"/api/runs/{run.Id}", new UpdateRunRequest(Queue: "Not A Queue!"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"queue\"", await bad.Content.ReadAsStringAsync());

        await fixture.SetRunStatusAsync(run.Id, RunStatus.Running);
        var conflict = await fixture.Client.PatchAsJsonAsync($"/api/runs/{run.Id}", new UpdateRunRequest(Name: "renamed", Priority: 3));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("Only a queued run can change queue or priority", await conflict.Content.ReadAsStringAsync());
        var unchanged = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!;
        Assert.Equal((run.Name, run.Priority, run.Queue), (unchanged.Name, unchanged.Priority, unchanged.Queue));
    }

    private Task<string?> JobIdAsync(long runId) => fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.JobId).SingleAsync());

    private static object Request(string queue) => new
    {
        name = ApiFixture.UniqueName("q"), experiment = "tests", algorithm = "grpo", dataset = "addition-3digit", @base = new { preset = "tiny" },
        rewards = new[] { new { type = "exact_match", weight = 1.0 } }, settings = new { steps = 10, batchSize = 16, groupSize = 4 }, queue,
    };
}
