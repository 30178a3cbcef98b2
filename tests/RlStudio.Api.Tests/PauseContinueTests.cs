using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// Live steering, pause and continue (issue 13, part): a queued run pauses at once (its job deleted); a training run is
/// asked to pause, its worker is told so at the next progress report and reports Paused after its checkpoint; continue
/// queues it again and the next claim resumes from that checkpoint. Only queued or training runs pause, only paused ones
/// continue; a paused run can still be cancelled.
/// </summary>
[Collection("api")]
public sealed class PauseContinueTests(ApiFixture fixture)
{
    [Fact]
    public async Task QueuedRun_PausesAtOnce_AndContinuesWithANewJob()
    {
        var run = await fixture.CreateRunAsync();
        var job = await JobIdAsync(run.Id);

        var paused = await PostAsync<RunDto>($"/api/runs/{run.Id}/pause");

        Assert.Equal(RunStatus.Paused, paused.Status);
        var monitor = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(DeletedState.StateName, monitor.JobDetails(job).History[0].StateName);
        Assert.Equal(RunStatus.Paused, (await PostAsync<RunDto>($"/api/runs/{run.Id}/pause")).Status);   // pausing again changes nothing

        var continued = await PostAsync<RunDto>($"/api/runs/{run.Id}/continue");

        Assert.Equal(RunStatus.Queued, continued.Status);
        Assert.NotEqual(job, await JobIdAsync(run.Id));
        var again = await fixture.Client.PostAsync($"/api/runs/{run.Id}/continue", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("only a paused run can continue", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TrainingRun_PausesAtItsWorkersNextStepBoundary_AndResumesFromThatCheckpoint()
    {
        var run = await fixture.CreateRunAsync();
        const string worker = "pausing-worker";
        var node = fixture.Worker(worker);
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(worker))).EnsureSuccessStatusCode();
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new RunStatusUpdate(worker, RunStatus.Running, 0))).EnsureSuccessStatusCode();

        Assert.Equal(RunStatus.PauseRequested, (await PostAsync<RunDto>($"/api/runs/{run.Id}/pause")).Status);
        var reply = await (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/progress", new RunProgress(worker, 7))).Content.ReadFromJsonAsync<RunProgressReply>();
        Assert.Equal((true, false), (reply!.PauseRequested, reply.CancelRequested));
        (await fixture.UploadCheckpointAsync(run.Id, 7, [1, 2, 3])).EnsureSuccessStatusCode();
        var report = await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new RunStatusUpdate(worker, RunStatus.Paused, 7));
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var paused = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!;
        Assert.Equal((RunStatus.Paused, 7), (paused.Status, paused.Step));
        Assert.Null(paused.FinishedAt);

        // Resume with a changed setting continues it too, from the same checkpoint.
        var resumed = await fixture.Client.PostAsJsonAsync($"/api/runs/{run.Id}/resume", new { settings = new { learningRate = 5e-5 } });
        Assert.True(resumed.IsSuccessStatusCode, await resumed.Content.ReadAsStringAsync());
        Assert.Equal(5e-5, (await resumed.Content.ReadFromJsonAsync<RunDto>())!.Settings.LearningRate);
        var claim = await (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(worker))).Content.ReadFromJsonAsync<RunClaim>();
        Assert.Equal(7, claim!.ResumeStep);
    }

    [Fact]
    public async Task FinishedRunCannotPause_AndAPausedRunCanBeCancelled()
    {
        var done = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(done.Id, RunStatus.Succeeded);
        var refused = await fixture.Client.PostAsync($"/api/runs/{done.Id}/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only a queued or training run can pause", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.PostAsync("/api/runs/987654/pause", null)).StatusCode);

        var run = await fixture.CreateRunAsync();
        await PostAsync<RunDto>($"/api/runs/{run.Id}/pause");
        Assert.Equal(RunStatus.Cancelled, (await PostAsync<RunDto>($"/api/runs/{run.Id}/cancel")).Status);
    }

    private async Task<T> PostAsync<T>(string path)
    {
        var response = await fixture.Client.PostAsync(path, null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private Task<string?> JobIdAsync(long runId) => fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.JobId).SingleAsync());
}
