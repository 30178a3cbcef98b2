using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary><c>DELETE /api/runs/{id}</c>: a finished run goes with all it stored; refused while anything still needs it.</summary>
[Collection("api")]
public sealed class RunDeletionTests(ApiFixture fixture)
{
    [Fact]
    public async Task Delete_FinishedRun_RemovesItAndEverythingItStored()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 1, 0.5));
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts",
            new RolloutBatch([new RolloutDto(1, 0, "1+1=", "2", "2", 1.0, new Dictionary<string, double?>(), null, 2)]))).EnsureSuccessStatusCode();
        var checkpoint = (await (await fixture.UploadCheckpointAsync(run.Id, 1, [1, 2, 3])).Content.ReadFromJsonAsync<CheckpointDto>())!;
        var export = (await (await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest("/models/d")))
            .Content.ReadFromJsonAsync<CheckpointExportDto>())!;
        await FinishExportAsync(export.Id);
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Succeeded);

        var response = await fixture.Client.DeleteAsync($"/api/runs/{run.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/checkpoints/{checkpoint.Id}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/exports/{export.Id}")).StatusCode);
        var left = await fixture.WithDbAsync(async db => new[]
        {
            await db.MetricPoints.CountAsync(m => m.RunId == run.Id),
            await db.LatestMetrics.CountAsync(m => m.RunId == run.Id),
            await db.RolloutSamples.CountAsync(r => r.RunId == run.Id),
            await db.CheckpointChunks.CountAsync(c => c.CheckpointId == checkpoint.Id),
        });
        Assert.Equal(new[] { 0, 0, 0, 0 }, left);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync($"/api/runs/{run.Id}")).StatusCode);
    }

    [Theory]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Lost)]
    public async Task Delete_RunThatCanStillChange_Returns409AndKeepsIt(RunStatus status)
    {
        var run = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(run.Id, status);

        var response = await fixture.Client.DeleteAsync($"/api/runs/{run.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("cancel it first", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/runs/{run.Id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_RunAnotherRunStartsFrom_Returns409NamingIt_UntilThatRunIsDeleted()
    {
        var parent = await fixture.CreateRunAsync();
        var checkpoint = (await (await fixture.UploadCheckpointAsync(parent.Id, 1, [7])).Content.ReadFromJsonAsync<CheckpointDto>())!;
        await fixture.SetRunStatusAsync(parent.Id, RunStatus.Succeeded);
        var byCheckpoint = await CreateChildAsync(new { checkpointId = checkpoint.Id });
        var byRun = await CreateChildAsync(new { runId = parent.Id });

        var refused = await fixture.Client.DeleteAsync($"/api/runs/{parent.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var detail = await refused.Content.ReadAsStringAsync();
        Assert.Contains($"runs #{byCheckpoint.Id}, #{byRun.Id} start from it", detail);

        foreach (var child in new[] { byCheckpoint, byRun })
        {
            await fixture.SetRunStatusAsync(child.Id, RunStatus.Cancelled);
            Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/api/runs/{child.Id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/api/runs/{parent.Id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_RunWithAPendingExport_Returns409()
    {
        var run = await fixture.CreateRunAsync();
        var checkpoint = (await (await fixture.UploadCheckpointAsync(run.Id, 1, [1])).Content.ReadFromJsonAsync<CheckpointDto>())!;
        (await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest("/models/p"))).EnsureSuccessStatusCode();
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Failed);

        var response = await fixture.Client.DeleteAsync($"/api/runs/{run.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("export still pending", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delete_PushesRunDeletedToTheRunList()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Cancelled);
        await using var hub = fixture.ConnectHub();
        var deleted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long>(nameof(IRunHubClient.RunDeleted), id => { if (id == run.Id) deleted.TrySetResult(id); });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRunList");

        (await fixture.Client.DeleteAsync($"/api/runs/{run.Id}")).EnsureSuccessStatusCode();

        Assert.Equal(run.Id, await deleted.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task<RunDto> CreateChildAsync(object baseModel)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", new
        {
            name = ApiFixture.UniqueName("child"),
            experiment = "tests",
            algorithm = "grpo",
            dataset = "addition-3digit",
            @base = baseModel,
            rewards = new[] { new { type = "exact_match", weight = 1.0 } },
            settings = new { steps = 10, batchSize = 16, groupSize = 4 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private async Task FinishExportAsync(long exportId)
    {
        foreach (var status in new[] { ExportStatus.Running, ExportStatus.Succeeded })
        {
            (await fixture.Worker("node-a").PostAsJsonAsync($"/api/ingest/exports/{exportId}/status", new ExportStatusUpdate("node-a", status))).EnsureSuccessStatusCode();
        }
    }
}
