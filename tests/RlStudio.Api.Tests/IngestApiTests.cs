using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class IngestApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Claim_SecondWorker_Gets409AndFirstKeepsRun()
    {
        var run = await fixture.CreateRunAsync();

        var first = await fixture.Worker("worker-a").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("worker-a"));
        var second = await fixture.Worker("worker-b").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("worker-b"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var claim = (await first.Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal(run.Id, claim.RunId);
        Assert.Null(claim.ResumeCheckpointId);
        Assert.Equal(0, claim.ResumeStep);
        var stored = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Starting, stored!.Status);
        Assert.Equal("worker-a", stored.Worker);
        Assert.NotNull(stored.StartedAt);
    }

    [Fact]
    public async Task Claim_ConcurrentWorkers_ExactlyOneWins()
    {
        var run = await fixture.CreateRunAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            fixture.Worker($"worker-{i}").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest($"worker-{i}"))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Status_GuardedTransitions_AllowLifecycleAndRejectOthers()
    {
        var run = await fixture.CreateRunAsync();
        var early = await Status(run.Id, "w", RunStatus.Running, 0);
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode); // not claimed by w (by nobody yet)

        await fixture.Worker("w").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("w"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Status(run.Id, "intruder", RunStatus.Running, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Status(run.Id, "w", RunStatus.Running, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Status(run.Id, "w", RunStatus.Running, 0)).StatusCode); // a retry is harmless
        Assert.Equal(HttpStatusCode.BadRequest, (await Status(run.Id, "w", RunStatus.Queued, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Status(run.Id, "w", RunStatus.Succeeded, 10)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Status(run.Id, "w", RunStatus.Succeeded, 10)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Status(run.Id, "w", RunStatus.Failed, 10)).StatusCode);

        var stored = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Succeeded, stored!.Status);
        Assert.Equal(10, stored.Step);
        Assert.NotNull(stored.FinishedAt);
    }

    [Fact]
    public async Task Metrics_SamePointTwice_KeepsOnePointWithLatestValue()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 1, 0.25), new MetricPoint("loss/policy", 1, 2.0));
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 1, 0.75));

        var count = await fixture.WithDbAsync(db => db.MetricPoints.CountAsync(m => m.RunId == run.Id && m.Key == "reward/mean"));
        Assert.Equal(1, count);
        var metrics = await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=reward/mean");
        var series = Assert.Single(metrics!.Series);
        Assert.Equal([new SeriesPoint(1, 0.75)], series.Points);
        var stored = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(0.75, stored!.LatestMetrics["reward/mean"]);
        Assert.Equal(2.0, stored.LatestMetrics["loss/policy"]);
    }

    [Fact]
    public async Task Metrics_OlderStepArrivingLate_DoesNotMoveLatestBack()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 5, 0.5));
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 4, 0.1));
        var stored = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(0.5, stored!.LatestMetrics["reward/mean"]);
    }

    [Fact]
    public async Task Metrics_LongSeries_DownsampledToAtMostNKeepingLastStepAndSpike()
    {
        var run = await fixture.CreateRunAsync();
        var points = Enumerable.Range(0, 2000).Select(step => new MetricPoint("loss/policy", step, step == 777 ? 100.0 : Math.Sin(step / 50.0))).ToList();
        points.AddRange(Enumerable.Range(0, 2000).Select(step => new MetricPoint("reward/mean", step, step / 2000.0)));
        await fixture.PostMetricsAsync(run.Id, [.. points]);

        var metrics = await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?maxPoints=100");

        Assert.Equal(["loss/policy", "reward/mean"], metrics!.Series.Select(s => s.Key).Order());
        foreach (var series in metrics.Series)
        {
            Assert.InRange(series.Points.Count, 2, 100);
            Assert.Equal(1999, series.Points[^1].Step);
            Assert.Equal(series.Points.OrderBy(p => p.Step).Select(p => p.Step), series.Points.Select(p => p.Step));
            Assert.Equal(series.Points.Count, series.Points.Select(p => p.Step).Distinct().Count());
        }
        // The spike survives as the max of the bucket that holds step 777.
        var policy = metrics.Series.Single(s => s.Key == "loss/policy").Points;
        var spiked = policy.First(p => p.Step >= 777);
        Assert.Equal(100.0, spiked.Max);
        Assert.Equal(1, policy.Count(p => p.Max == 100.0));
        var full = await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=reward/mean&maxPoints=5000");
        Assert.Equal(2000, Assert.Single(full!.Series).Points.Count);
    }

    [Fact]
    public async Task Rollouts_Posted_AreReadNewestFirst()
    {
        var run = await fixture.CreateRunAsync();
        var samples = Enumerable.Range(1, 3).Select(step => new RolloutDto(step, 0, "1+1=", $"{step}", "2", step == 2 ? 1 : 0,
            new Dictionary<string, double?> { ["exact_match"] = step == 2 ? 1 : 0, ["numeric_match"] = null }, 0.5, 2)).ToList();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();

        var read = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?limit=2") ?? [];
        Assert.Equal([3, 2], read.Select(r => r.Step));
        Assert.Null(read[1].Rewards["numeric_match"]);
        Assert.Equal(1.0, read[1].Rewards["exact_match"]);
        Assert.NotNull(read[0].CreatedAt);
    }

    [Fact]
    public async Task Rollouts_SameBatchSentTwice_AreStoredOnce_AndTheSecondIsNotPushedAgain()
    {
        var run = await fixture.CreateRunAsync();
        var samples = Enumerable.Range(0, 4).Select(i => new RolloutDto(7, i / 2, "1+1=", $"answer {i}", "2", i, new Dictionary<string, double?>(), null, 2)).ToList();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();
        }
        var read = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?step=7&limit=100") ?? [];
        Assert.Equal(["answer 0", "answer 1", "answer 2", "answer 3"], read.Select(r => r.Completion).Order());
    }

    [Fact]
    public async Task Rollouts_PastTheKeptNumberPerStep_AreNotStored()
    {
        var run = await fixture.CreateRunAsync();   // the fixture keeps 50 per step (RlStudio:Limits:RolloutsKeptPerStep)
        var samples = Enumerable.Range(0, 60).Select(i => new RolloutDto(3, i, "p", $"c{i}", null, 0, new Dictionary<string, double?>(), null, 1)).ToList();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();
        var read = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?step=3&limit=1000") ?? [];
        Assert.Equal(50, read.Count);
        Assert.DoesNotContain(read, r => r.Completion == "c50");
    }

    [Fact]
    public async Task Rollouts_WithNulCharacters_AreStoredWithAVisibleStandIn()
    {
        var run = await fixture.CreateRunAsync();
        var sample = new RolloutDto(1, 0, "1+1=", "2\0\0", "2", 0, new Dictionary<string, double?> { ["exact_match"] = 0 }, 0, 3);
        var response = await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch([sample]));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var read = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?limit=1");
        Assert.Equal("2\u2400\u2400", Assert.Single(read!).Completion);
    }

    [Fact]
    public async Task Checkpoint_UploadDownload_RoundTripsWithSha256AndIsIdempotent()
    {
        var run = await fixture.CreateRunAsync();
        var bytes = new byte[(int)(2.5 * 1024 * 1024)];
        new Random(7).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var upload = await fixture.UploadCheckpointAsync(run.Id, 50, bytes);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var checkpoint = (await upload.Content.ReadFromJsonAsync<CheckpointDto>())!;
        Assert.Equal(sha, checkpoint.Sha256);
        Assert.Equal(bytes.Length, checkpoint.SizeBytes);
        Assert.Equal(3, await fixture.WithDbAsync(db => db.CheckpointChunks.CountAsync(c => c.CheckpointId == checkpoint.Id)));

        var again = await fixture.UploadCheckpointAsync(run.Id, 50, [1, 2, 3]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(checkpoint.Id, (await again.Content.ReadFromJsonAsync<CheckpointDto>())!.Id);

        await fixture.SetRunStatusAsync(run.Id, RunStatus.Running);   // its worker may read it back (resume) while it trains
        foreach (var (client, url) in new[] { (fixture.Client, $"/api/checkpoints/{checkpoint.Id}/content"), (fixture.Ingest(run.Id), $"/api/ingest/checkpoints/{checkpoint.Id}/content") })
        {
            var downloaded = await client.GetByteArrayAsync(url);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        }
        var listed = await fixture.Client.GetFromJsonAsync<List<CheckpointDto>>($"/api/runs/{run.Id}/checkpoints");
        Assert.Equal([checkpoint.Id], listed!.Select(c => c.Id));
    }

    [Fact]
    public async Task Claim_LostRunWithCheckpoint_ResumesFromNewest()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.UploadCheckpointAsync(run.Id, 10, [1]);
        await fixture.UploadCheckpointAsync(run.Id, 20, [2]);
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Lost);

        var claim = (await (await fixture.Worker("w2").PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("w2"))).Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal(20, claim.ResumeStep);
        Assert.NotNull(claim.ResumeCheckpointId);
    }

    [Fact]
    public async Task Claim_BaseRunWithoutCheckpoint_Returns422AndLeavesRunQueued()
    {
        var parent = await fixture.CreateRunAsync();
        var request = System.Text.Json.JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("child")))!.AsObject();
        request["base"] = new System.Text.Json.Nodes.JsonObject { ["runId"] = parent.Id };
        var child = (await (await fixture.Client.PostAsync("/api/runs", JsonContent.Create(request))).Content.ReadFromJsonAsync<RunDto>())!;

        var response = await fixture.Worker("w").PostAsJsonAsync($"/api/ingest/runs/{child.Id}/claim", new ClaimRunRequest("w"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(RunStatus.Queued, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{child.Id}"))!.Status);

        await fixture.UploadCheckpointAsync(parent.Id, 5, [9]);
        var claim = (await (await fixture.Worker("w").PostAsJsonAsync($"/api/ingest/runs/{child.Id}/claim", new ClaimRunRequest("w"))).Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.NotNull(claim.BaseCheckpointId);
    }

    [Fact]
    public async Task Heartbeat_Twice_UpsertsOneWorkerNode()
    {
        var name = ApiFixture.UniqueName("node");
        for (var i = 0; i < 2; i++)
        {
            var response = await fixture.Worker(name).PostAsJsonAsync("/api/ingest/workers/heartbeat", new { name, device = "cpu", queues = new[] { "default", "cpu" } });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        Assert.Equal(1, await fixture.WithDbAsync(db => db.WorkerNodes.CountAsync(w => w.Name == name)));
    }

    private Task<HttpResponseMessage> Status(long runId, string worker, RunStatus status, int step) =>
        fixture.Worker(worker).PostAsJsonAsync($"/api/ingest/runs/{runId}/status", new RunStatusUpdate(worker, status, step));
}
