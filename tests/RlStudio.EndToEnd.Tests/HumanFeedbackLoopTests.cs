using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The whole human-feedback loop on the embedded worker: a policy is SFT'd briefly, a batch samples it twice per
/// prompt (its own job on the worker), two labelers answer through the API (preferring the correct sum, else the
/// closer one), the labels are exported as a preference dataset, a reward model trains on it, and a GRPO run scored by
/// that reward model raises its reward.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HumanFeedbackLoopTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task SampledBatch_LabeledThroughTheApi_TrainsARewardModel_ThatGrpoClimbs()
    {
        var prompts = await platform.UploadDatasetAsync("hf-addition", E2eRecipe.AdditionJsonl(E2eRecipe.Digits, 2000, seed: 11));
        var sft = await platform.CreateRunAsync(new
        {
            name = "hf-sft", experiment = "hf", algorithm = "sft", dataset = prompts.Name, @base = new { preset = "tiny" },
            settings = new { steps = 250, batchSize = 64, learningRate = 1e-3, maxNewTokens = E2eRecipe.Digits + 2, checkpointEvery = 250, evalEvery = 250 }, seed = 1,
        });
        await SucceededAsync(sft.Id);

        // Sampled on the worker: two answers per prompt from the SFT checkpoint.
        using var created = await platform.Api.PostAsJsonAsync("/api/comparison-batches", new
        {
            name = "hf-batch", dataset = prompts.Name, sources = new[] { new { runId = sft.Id } }, items = 256, overlap = 1,
            temperature = 1.0, maxNewTokens = E2eRecipe.Digits + 2, guidelines = "Prefer the correct sum; else the closer number.", seed = 5,
        }, PlatformFixture.Json);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var batch = (await created.Content.ReadFromJsonAsync<ComparisonBatchDto>(PlatformFixture.Json))!;
        batch = await WaitForBatchAsync(batch.Id);
        Assert.True(batch.Status == ComparisonBatchStatus.Ready, $"batch {batch.Status}: {batch.Error}");
        Assert.Equal(256, batch.ItemCount);

        // Two labelers through the API.
        var labeled = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            using var labeler = (await platform.AccountAsync("Labeler")).Client;
            return await LabelAllAsync(labeler, batch.Id, Prefer);
        }));
        output.WriteLine($"labels: {string.Join(" + ", labeled)}");
        Assert.Equal(256, labeled.Sum());

        using var exported = await platform.Api.PostAsJsonAsync($"/api/comparison-batches/{batch.Id}/export", new { datasetName = "hf-preferences" }, PlatformFixture.Json);
        Assert.True(exported.StatusCode == HttpStatusCode.Created, await exported.Content.ReadAsStringAsync());
        var preferences = (await exported.Content.ReadFromJsonAsync<DatasetDto>(PlatformFixture.Json))!;
        Assert.Equal((DatasetKind.Preferences, batch.Id), (preferences.Kind, preferences.SourceBatchId));
        output.WriteLine($"preference pairs: {preferences.ItemCount}");

        var rewardModel = await platform.CreateRunAsync(new
        {
            name = "hf-reward-model", experiment = "hf", algorithm = "reward_model", dataset = preferences.Name, @base = new { runId = sft.Id },
            settings = new { steps = 150, batchSize = 16, evalEvery = 50 }, seed = 3,
        });
        var rm = await SucceededAsync(rewardModel.Id);
        var accuracy = rm.LatestMetrics["eval/accuracy"];
        output.WriteLine($"reward model held-out accuracy: {accuracy:0.###}");
        var stats = await platform.GetAsync<BatchStatsDto>($"/api/comparison-batches/{batch.Id}/stats");
        var agreement = Assert.Single(stats.RewardModels);
        Assert.Equal((rewardModel.Id, accuracy), (agreement.RunId, agreement.HeldOutAgreement));

        var grpo = await platform.CreateRunAsync(new
        {
            name = "hf-grpo", experiment = "hf", algorithm = "grpo", dataset = prompts.Name, @base = new { runId = sft.Id },
            rewards = new[] { new { type = "reward_model", weight = 1.0, runId = rewardModel.Id } },
            settings = new { steps = 60, batchSize = 128, groupSize = 8, learningRate = 1e-4, maxNewTokens = E2eRecipe.Digits + 2, temperature = 1.0 }, seed = 4,
        });
        await SucceededAsync(grpo.Id);
        var metrics = await platform.GetAsync<MetricsResponse>($"/api/runs/{grpo.Id}/metrics?keys=reward/mean&maxPoints=10000");
        var reward = Assert.Single(metrics.Series).Points.Select(p => p.Value).ToArray();
        var first = reward.Take(10).Average();
        var last = reward.TakeLast(10).Average();
        output.WriteLine($"GRPO reward-model score: first 10 steps {first:0.###}, last 10 {last:0.###}");
        Assert.True(last > first, $"GRPO's reward-model score should rise: first {first:0.###}, last {last:0.###}");
    }

    /// <summary>The labelers' rule: the correct sum wins; else the number closer to it; the same closeness is a tie.</summary>
    private static string Prefer(LabelingItemDto item)
    {
        var target = item.Prompt.TrimEnd('=').Split('+').Sum(long.Parse);
        double Distance(string text) => long.TryParse(text.Trim(), out var n) ? Math.Abs(n - target) : double.MaxValue;
        var (left, right) = (Distance(item.Left), Distance(item.Right));
        return left < right ? "left" : right < left ? "right" : "tie";
    }

    private static async Task<int> LabelAllAsync(HttpClient client, long batchId, Func<LabelingItemDto, string> choose)
    {
        var count = 0;
        while (true)
        {
            using var next = await client.GetAsync($"/api/labeling/next?batchId={batchId}");
            if (next.StatusCode == HttpStatusCode.NoContent) return count;
            Assert.True(next.StatusCode == HttpStatusCode.OK, await next.Content.ReadAsStringAsync());
            var item = (await next.Content.ReadFromJsonAsync<LabelingItemDto>(PlatformFixture.Json))!;
            using var answer = await client.PostAsJsonAsync($"/api/labeling/{item.ItemId}", new { choice = choose(item) }, PlatformFixture.Json);
            if (answer.StatusCode == HttpStatusCode.OK) count++;
            else Assert.True(answer.StatusCode == HttpStatusCode.Conflict, await answer.Content.ReadAsStringAsync());
        }
    }

    private async Task<RunDto> SucceededAsync(long runId)
    {
        var run = await platform.WaitForRunAsync(runId, r => r.Status.IsTerminal(), Timeout);
        Assert.True(run.Status == RunStatus.Succeeded, $"run {run.Name} ended {run.Status}: {run.Error}");
        return run;
    }

    private async Task<ComparisonBatchDto> WaitForBatchAsync(long batchId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var batch = await platform.GetAsync<ComparisonBatchDto>($"/api/comparison-batches/{batchId}");
            if (batch.Status != ComparisonBatchStatus.Sampling) return batch;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"batch {batchId} still sampling: {batch.ItemCount}/{batch.TargetItems}");
            await Task.Delay(200);
        }
    }
}
