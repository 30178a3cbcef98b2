using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class LiveHubTests(ApiFixture fixture)
{
    [Fact]
    public async Task JoinRun_IngestMetrics_ClientReceivesMetricsAppended()
    {
        var run = await fixture.CreateRunAsync();
        await using var hub = Connect();
        var received = new TaskCompletionSource<(long RunId, IReadOnlyList<MetricPoint> Points)>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, IReadOnlyList<MetricPoint>>(nameof(IRunHubClient.MetricsAppended), (runId, points) => received.TrySetResult((runId, points)));
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", run.Id);

        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/metrics",
            new MetricBatch([new MetricPoint("reward/mean", 3, 0.5)]))).EnsureSuccessStatusCode();

        var (runId, points) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(run.Id, runId);
        Assert.Equal([new MetricPoint("reward/mean", 3, 0.5)], points);
    }

    [Fact]
    public async Task JoinRunList_Claim_ClientReceivesRunUpdated()
    {
        var run = await fixture.CreateRunAsync();
        await using var hub = Connect();
        var received = new TaskCompletionSource<RunSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<RunSummary>(nameof(IRunHubClient.RunUpdated), summary =>
        {
            // The run's creation (Queued) is pushed at once too, and may reach the client after it joined: wait for the claim.
            if (summary.Id == run.Id && summary.Status != RlStudio.Contracts.Runs.RunStatus.Queued)
            {
                received.TrySetResult(summary);
            }
        });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRunList");

        (await fixture.Worker("w").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("w"))).EnsureSuccessStatusCode();

        var summary = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RlStudio.Contracts.Runs.RunStatus.Starting, summary.Status);
    }

    private HubConnection Connect() => fixture.ConnectHub();
}
