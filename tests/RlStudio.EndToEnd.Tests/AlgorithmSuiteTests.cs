using System.Net;
using System.Net.Http.Json;
using System.Text;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Every algorithm through the real worker process: preference algorithms on an uploaded preference dataset,
/// policy-gradient algorithms on the seeded addition set, and a GRPO run scored by the reward model trained here.
/// Short runs: this checks the wiring (spec → worker → engine → metrics), the engine tests check the learning.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AlgorithmSuiteTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task PreferenceAndPolicyGradientAlgorithms_TrainThroughTheWorker_AndReportTheirMetrics()
    {
        var preferences = await platform.UploadDatasetAsync("e2e-preferences", PreferenceJsonl(count: 300));
        Assert.Equal(DatasetKind.Preferences, preferences.Kind);

        var rewardModel = await TrainAsync("reward_model", preferences.Name, new { steps = 30, batchSize = 16, learningRate = 3e-3, evalEvery = 15 },
            "loss/reward_model", "rewards/accuracy", "eval/accuracy");
        await TrainAsync("dpo", preferences.Name, new { steps = 10, batchSize = 8 }, "loss/dpo", "rewards/margin", "rewards/accuracy");
        await TrainAsync("ipo", preferences.Name, new { steps = 5, batchSize = 8 }, "loss/ipo");

        await TrainAsync("sft", "addition-2digit", new { steps = 3, batchSize = 8, maxNewTokens = 4, precision = "bfloat16" }, "loss/sft");
        await TrainAsync("rloo", "addition-2digit", new { steps = 4, batchSize = 16, groupSize = 4, maxNewTokens = 4 }, "reward/mean", "policy/kl");
        await TrainAsync("reinforce_pp", "addition-2digit", new { steps = 4, batchSize = 16, groupSize = 4, groupBaseline = true, maxNewTokens = 4 }, "reward/mean");
        // PPO in minibatches, checkpointing every step and keeping the newest two.
        var ppo = await TrainAsync("ppo", "addition-2digit", new
            {
                steps = 4, batchSize = 16, groupSize = 1, maxNewTokens = 4, evalEvery = 2, evalSamples = 4, miniBatches = 4,
                checkpointEvery = 1, keepLastCheckpoints = 2,
            },
            "value/loss", "value/explained_variance", "eval/exact_match/pass@1");
        var kept = await platform.GetAsync<CheckpointDto[]>($"/api/runs/{ppo.Id}/checkpoints");
        Assert.Equal(new[] { 3, 4 }, kept.Select(c => c.Step).ToArray());
        await TrainAsync("grpo", "addition-2digit", new { steps = 3, batchSize = 16, groupSize = 4, maxNewTokens = 4, policyUpdatesPerBatch = 2, clipEpsilonHigh = 0.28 },
            ["reward/mean", "reward/reward_model/mean", "policy/clip_frac"],
            rewards: [new { type = "exact_match", weight = 1.0 }, new { type = "reward_model", weight = 0.5, runId = rewardModel.Id }]);
    }

    [Fact]
    public async Task Checkpoint_ExportedAsHuggingFaceFolder_IsTheBaseOfALoraRun()
    {
        var sft = await TrainAsync("sft", "addition-2digit", new { steps = 5, batchSize = 8, maxNewTokens = 4 }, "loss/sft");
        var checkpoint = (await platform.GetAsync<CheckpointDto[]>($"/api/runs/{sft.Id}/checkpoints")).Single(c => c.Step == 5);
        var folder = Path.Combine(Path.GetTempPath(), "rlstudio-e2e-export-" + Guid.NewGuid().ToString("N")[..8]);
        var notAFolder = Path.GetTempFileName(); // an export below a file cannot be written
        try
        {
            var page = await platform.NewPageAsync();
            await page.GotoAsync($"{platform.BaseUrl}/runs/{sft.Id}");
            await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

            var export = await ExportAsync(checkpoint.Id, folder);
            var failing = await ExportAsync(checkpoint.Id, Path.Combine(notAFolder, "model"));

            var done = await WaitForExportAsync(export.Id);
            Assert.True(done.Status == ExportStatus.Succeeded, $"export ended {done.Status}: {done.Error}");
            Assert.False(string.IsNullOrEmpty(done.Worker));
            Assert.All(new[] { "config.json", "model.safetensors", "tokenizer.json" }, f => Assert.True(File.Exists(Path.Combine(folder, f)), $"the worker wrote no {f}"));
            var failed = await WaitForExportAsync(failing.Id);
            Assert.Equal(ExportStatus.Failed, failed.Status);
            Assert.StartsWith($"Cannot write {Path.Combine(notAFolder, "model")} on this node: ", failed.Error);
            output.WriteLine($"failed export: {failed.Error}");

            // The run page, open all along, shows both outcomes pushed over SignalR.
            await page.WaitForSelectorAsync($"[data-testid='export-row-{export.Id}'][data-status='Succeeded']", new() { Timeout = 30_000 });
            await page.WaitForSelectorAsync($"[data-testid='export-row-{failing.Id}'][data-status='Failed']", new() { Timeout = 30_000 });

            var lora = await TrainAsync("sft", "addition-2digit", new { steps = 5, batchSize = 8, maxNewTokens = 4, loraRank = 4, loraTargets = new[] { "q_proj", "v_proj" } },
                ["loss/sft"], rewards: null, new { modelPath = folder });
            Assert.Equal(folder, lora.Base.ModelPath);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            File.Delete(notAFolder);
        }
    }

    private async Task<CheckpointExportDto> ExportAsync(long checkpointId, string folder)
    {
        using var response = await platform.Api.PostAsJsonAsync($"/api/checkpoints/{checkpointId}/export", new { folder }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CheckpointExportDto>(PlatformFixture.Json))!;
    }

    private async Task<CheckpointExportDto> WaitForExportAsync(long exportId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var export = await platform.GetAsync<CheckpointExportDto>($"/api/exports/{exportId}");
            if (export.Status.IsTerminal() || DateTime.UtcNow > deadline) return export;
            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task PreferenceRun_OnAPromptDataset_IsRejectedBeforeQueueing()
    {
        using var response = await platform.Api.PostAsJsonAsync("/api/runs", new
        {
            name = "wrong-kind", algorithm = "dpo", dataset = "addition-2digit", @base = new { preset = "tiny" }, seed = 1,
        }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trains on preferences", await response.Content.ReadAsStringAsync());
    }

    private async Task<RunDto> TrainAsync(string algorithm, string dataset, object settings, params string[] expectedMetrics) =>
        await TrainAsync(algorithm, dataset, settings, expectedMetrics, rewards: null);

    private async Task<RunDto> TrainAsync(string algorithm, string dataset, object settings, string[] expectedMetrics, object[]? rewards, object? baseModel = null)
    {
        var preference = algorithm is "dpo" or "ipo" or "reward_model";
        var run = await platform.CreateRunAsync(new
        {
            name = $"suite-{algorithm}",
            experiment = "suite",
            algorithm,
            dataset,
            @base = baseModel ?? new { preset = "tiny" },
            rewards = preference ? [] : rewards ?? [new { type = "exact_match", weight = 1.0 }],
            settings,
            seed = 11,
        });
        run = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(run.Status == RunStatus.Succeeded, $"{algorithm} ended {run.Status}: {run.Error}");
        output.WriteLine($"{algorithm}: {string.Join(", ", run.LatestMetrics.Where(m => !m.Key.StartsWith("perf/")).Select(m => $"{m.Key}={m.Value:0.###}"))}");
        var metrics = await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys={string.Join(',', expectedMetrics)}");
        foreach (var key in expectedMetrics)
        {
            Assert.True(metrics.Series.Any(s => s.Key == key && s.Points.Count > 0), $"{algorithm} reported no {key}");
        }
        return run;
    }


    /// <summary>Addition prompts: the right sum is chosen, an off-by-some sum rejected.</summary>
    private static string PreferenceJsonl(int count)
    {
        var random = new Random(5);
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            int a = random.Next(100), b = random.Next(100), wrong = a + b + random.Next(1, 20);
            lines.Append($$"""{"prompt":"{{a}}+{{b}}=","chosen":"{{a + b}}","rejected":"{{wrong}}"}""").Append('\n');
        }
        return lines.ToString();
    }
}
