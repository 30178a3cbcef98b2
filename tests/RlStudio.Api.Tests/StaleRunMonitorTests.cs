using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Runs;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class StaleRunMonitorTests(ApiFixture fixture)
{
    private StaleRunMonitor Monitor => fixture.Factory.Services.GetRequiredService<StaleRunMonitor>();

    [Fact]
    public async Task Sweep_RunningRunWithSilentWorker_BecomesLostAndResumesFromItsCheckpointOnNextClaim()
    {
        var run = await fixture.CreateRunAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Worker("dead-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("dead-worker"))).StatusCode);
        await fixture.Worker("dead-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new RunStatusUpdate("dead-worker", RunStatus.Running, 0));
        using var checkpoint = new ByteArrayContent([1, 2, 3, 4]);
        checkpoint.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var saved = await (await fixture.Ingest(run.Id).PostAsync($"/api/ingest/runs/{run.Id}/checkpoints?step=5", checkpoint)).Content.ReadFromJsonAsync<CheckpointDto>();

        // Everything that reported before "now + 1 minute" counts as silent.
        Assert.True(await Monitor.SweepAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None) >= 1);

        var lost = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Lost, lost!.Status);
        Assert.Null(lost.Worker);
        Assert.Contains("dead-worker", lost.Error);
        // The old worker no longer owns it: its late reports are refused (its key may report on its own runs only).
        var late = await fixture.Worker("dead-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/progress", new RunProgress("dead-worker", 6));
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);

        var reclaim = await fixture.Worker("new-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("new-worker"));
        Assert.Equal(HttpStatusCode.OK, reclaim.StatusCode);
        var claim = (await reclaim.Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal(saved!.Id, claim.ResumeCheckpointId);
        Assert.Equal(5, claim.ResumeStep);
    }

    [Fact]
    public async Task Sweep_RecentlyReportingRun_IsLeftAlone()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.Worker("live-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("live-worker"));

        await Monitor.SweepAsync(DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);

        var current = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Starting, current!.Status);
        Assert.Equal("live-worker", current.Worker);
    }

    [Fact]
    public async Task Sweep_CancelRequestedRunWithSilentWorker_EndsCancelled()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.Worker("cancelling-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("cancelling-worker"));
        await fixture.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);

        await Monitor.SweepAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        var current = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Cancelled, current!.Status);
        Assert.NotNull(current.FinishedAt);
    }
}
