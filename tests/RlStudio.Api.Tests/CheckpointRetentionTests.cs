using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>Checkpoint retention applied by the ingest API as a worker uploads checkpoints (keep newest K, best M by a metric).</summary>
[Collection("api")]
public sealed class CheckpointRetentionTests(ApiFixture fixture)
{
    [Fact]
    public async Task Upload_KeepLastTwo_DeletesOlderCheckpointsAndTheirChunks()
    {
        var run = await CreateRunAsync(new { steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 2 });
        var ids = new List<long>();
        foreach (var step in new[] { 10, 20, 30, 40 })
        {
            ids.Add(await UploadAsync(run.Id, step));
        }

        Assert.Equal(new[] { 30, 40 }, await StepsAsync(run.Id));
        Assert.Equal(0, await fixture.WithDbAsync(db => db.CheckpointChunks.CountAsync(c => c.CheckpointId == ids[0] || c.CheckpointId == ids[1])));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/checkpoints/{ids[0]}/content")).StatusCode);
    }

    [Fact]
    public async Task Upload_DefaultSettings_KeepsEveryCheckpoint()
    {
        var run = await fixture.CreateRunAsync();
        foreach (var step in new[] { 1, 2, 3, 4, 5 })
        {
            await UploadAsync(run.Id, step);
        }
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, await StepsAsync(run.Id));
    }

    [Fact]
    public async Task Upload_KeepBestByMax_KeepsNewestAndHighestMetric()
    {
        var run = await CreateRunAsync(new
        {
            steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 1, keepBestCheckpoints = 1, bestCheckpointMetric = "eval/acc",
        });
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("eval/acc", 10, 0.5), new MetricPoint("eval/acc", 20, 0.9), new MetricPoint("eval/acc", 30, 0.3));
        foreach (var step in new[] { 10, 20, 30, 40 })
        {
            await UploadAsync(run.Id, step);
        }
        // 40 is the newest; 20 has the best value (0.9); 40's value is 30's (0.3), the newest at or before its step.
        Assert.Equal(new[] { 20, 40 }, await StepsAsync(run.Id));
    }

    [Fact]
    public async Task Upload_KeepBestByMin_UsesTheNewestValueAtOrBeforeEachCheckpoint()
    {
        var run = await CreateRunAsync(new
        {
            steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 1, keepBestCheckpoints = 2, bestCheckpointMetric = "loss/eval",
            bestCheckpointGoal = "min",
        });
        // Checkpoint 5 has no value yet (never ranks); 10 → 0.4 (step 8); 20 → 0.2 (step 15); 30 → 0.7; 40 newest.
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("loss/eval", 8, 0.4), new MetricPoint("loss/eval", 15, 0.2), new MetricPoint("loss/eval", 25, 0.7));
        foreach (var step in new[] { 5, 10, 20, 30, 40 })
        {
            await UploadAsync(run.Id, step);
        }
        Assert.Equal(new[] { 10, 20, 40 }, await StepsAsync(run.Id));
    }

    [Fact]
    public async Task Upload_CheckpointAnotherRunStartsFrom_IsNeverDeleted()
    {
        var run = await CreateRunAsync(new { steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 1 });
        var first = await UploadAsync(run.Id, 10);
        var child = JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("child")))!.AsObject();
        child["base"] = new JsonObject { ["checkpointId"] = first };
        (await fixture.Client.PostAsync("/api/runs", JsonContent.Create(child))).EnsureSuccessStatusCode();

        await UploadAsync(run.Id, 20);
        await UploadAsync(run.Id, 30);

        Assert.Equal(new[] { 10, 30 }, await StepsAsync(run.Id));
    }

    [Fact]
    public async Task Claim_AfterRetention_ResumesFromTheNewestCheckpoint()
    {
        var run = await CreateRunAsync(new { steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 1 });
        await UploadAsync(run.Id, 10);
        var newest = await UploadAsync(run.Id, 20);
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Lost);

        var claim = (await (await fixture.Worker("w").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("w"))).Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal((newest, 20), (claim.ResumeCheckpointId!.Value, claim.ResumeStep));
    }

    private async Task<RunDto> CreateRunAsync(object settings)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", ApiFixture.ValidRunRequest(ApiFixture.UniqueName("retain"), settings));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private async Task<long> UploadAsync(long runId, int step)
    {
        var response = await fixture.UploadCheckpointAsync(runId, step, [(byte)step, 1, 2, 3]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CheckpointDto>())!.Id;
    }

    private async Task<int[]> StepsAsync(long runId) =>
        (await fixture.Client.GetFromJsonAsync<List<CheckpointDto>>($"/api/runs/{runId}/checkpoints"))!.Select(c => c.Step).ToArray();
}
