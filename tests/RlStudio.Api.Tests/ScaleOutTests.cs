using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Runs;

namespace RlStudio.Api.Tests;

/// <summary>Two web hosts behind one database: live pushes reach the clients of either, and the stale-run sweep runs on one at a time.</summary>
[Collection("api")]
public sealed class ScaleOutTests(ApiFixture fixture)
{
    [Fact]
    public async Task ReportTakenByOneHost_ReachesAClientOfTheOther()
    {
        await using var other = fixture.NewHost();
        var run = await fixture.CreateRunAsync();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(other.Server.BaseAddress, RunHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => other.Server.CreateHandler();
                o.Headers["Authorization"] = $"Bearer {ApiFixture.AdminKey}";
            })
            .Build();
        var received = new TaskCompletionSource<IReadOnlyList<MetricPoint>>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, IReadOnlyList<MetricPoint>>(nameof(IRunHubClient.MetricsAppended), (runId, points) =>
        {
            if (runId == run.Id) received.TrySetResult(points);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", run.Id);
        await Task.Delay(500);   // the other host is listening (its backplane starts with it)

        // Many points: the batch crosses in several notifications.
        var points = Enumerable.Range(0, 400).Select(s => new MetricPoint("reward/mean", s, s / 400.0)).ToArray();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/metrics", new MetricBatch(points))).EnsureSuccessStatusCode();

        Assert.Equal(points, await received.Task.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task StaleRunSweep_WhileAnotherHostSweeps_IsSkipped()
    {
        var monitor = fixture.Factory.Services.GetRequiredService<StaleRunMonitor>();
        var run = await fixture.CreateRunAsync();
        (await fixture.Worker("gone-worker").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("gone-worker"))).EnsureSuccessStatusCode();

        // Another host's sweep holds the lock (its session).
        await using (var otherHost = new NpgsqlConnection(fixture.ConnectionString + ";Pooling=false"))
        {
            await otherHost.OpenAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('StaleRunMonitor'))", otherHost)) await take.ExecuteNonQueryAsync();
            Assert.Null(await monitor.SweepAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
            Assert.Equal(RunStatus.Starting, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Status);
        }   // that host's session ends: its lock with it

        // This host's own background sweep may hold the lock for a moment too: a skipped sweep is tried again.
        int? swept = null;
        for (var attempt = 0; attempt < 50 && swept is null; attempt++)
        {
            swept = await monitor.SweepAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
            if (swept is null) await Task.Delay(100);
        }
        Assert.True(swept >= 1, $"swept {swept?.ToString() ?? "nothing (skipped)"}");
        Assert.Equal(RunStatus.Lost, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Status);
    }
}
