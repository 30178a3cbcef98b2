using System.Text;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// An agentic run through the platform: a task dataset uploaded, SFT on its environment's demonstrations, then GRPO with
/// GiGPO advantages from that checkpoint, both trained by the real worker process; the GRPO run's page (Chromium) shows
/// its episodes turn by turn, each step's group side by side, and filters them by success.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AgenticRunTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string[] EnvMetrics =
        ["env/success", "env/turns/mean", "env/invalid_action_frac", "env/step_reward/mean", "reward/task/mean", "env/info/guesses", "eval/env/success"];

    [Fact]
    public async Task AgenticRun_TrainsThroughTheWorker_AndItsEpisodesShowOnTheRunPage()
    {
        var tasks = await platform.UploadDatasetAsync("e2e-number-guess", TaskJsonl(count: 200));
        Assert.Equal(DatasetKind.Tasks, tasks.Kind);
        var agent = new { maxTurns = 3, maxTokensPerTurn = 8 };

        var sft = await TrainAsync("sft", tasks.Name, new { steps = 60, batchSize = 8, learningRate = 3e-3, evalEvery = 60, evalSamples = 20, agent.maxTurns, agent.maxTokensPerTurn },
            new { preset = "tiny" }, "loss/sft", "eval/env/success");
        var grpo = await platform.CreateRunAsync(new
        {
            name = "agentic-gigpo", experiment = "agentic", algorithm = "grpo", dataset = tasks.Name, @base = new { runId = sft.Id }, rewards = Array.Empty<object>(),
            settings = new
            {
                steps = 6, batchSize = 8, groupSize = 4, temperature = 1.5, learningRate = 1e-4, evalEvery = 6, evalSamples = 20,
                agent.maxTurns, agent.maxTokensPerTurn, advantageMode = "gigpo",
            },
            seed = 3,
        });

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{grpo.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        grpo = await platform.WaitForRunAsync(grpo.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(grpo.Status == RunStatus.Succeeded, $"grpo ended {grpo.Status}: {grpo.Error}");
        await AssertMetricsAsync(grpo, EnvMetrics);

        // Episodes arrived live: each step's group of 4 side by side, each turn by turn.
        await page.WaitForSelectorAsync("[data-testid='episode-group']", new() { Timeout = 30_000 });
        var groups = page.GetByTestId("episode-group");
        Assert.Equal(4, await groups.First.GetByTestId("episode").CountAsync());
        var episodes = page.GetByTestId("episode");
        var all = await episodes.CountAsync();
        Assert.True(await page.GetByTestId("episode-turn").CountAsync() >= all, "every episode shows its turns");
        var succeeded = await page.Locator("[data-testid='episode'][data-success='true']").CountAsync();
        output.WriteLine($"run page: {all} episodes, {succeeded} succeeded; {string.Join(", ", grpo.LatestMetrics.Where(m => m.Key.StartsWith("env/")).Select(m => $"{m.Key}={m.Value:0.###}"))}");

        await page.GetByTestId("episodes-succeeded").ClickAsync();
        await WaitForCountAsync(() => episodes.CountAsync(), succeeded);
        Assert.Equal(0, await page.Locator("[data-testid='episode'][data-success='false']").CountAsync());
        await page.GetByTestId("episodes-failed").ClickAsync();
        await WaitForCountAsync(() => episodes.CountAsync(), all - succeeded);
        Assert.Equal(0, await page.Locator("[data-testid='episode'][data-success='true']").CountAsync());

        var stored = await platform.GetAsync<RolloutDto[]>($"/api/runs/{grpo.Id}/rollouts?step=6");
        Assert.All(stored, episode => Assert.InRange(episode.Turns!.Count, 1, 3));
        Assert.All(stored, episode => Assert.Equal(episode.Reward, episode.Turns!.Sum(t => t.Reward), 6));
    }

    private async Task<RunDto> TrainAsync(string algorithm, string dataset, object settings, object baseModel, params string[] expectedMetrics)
    {
        var run = await platform.CreateRunAsync(new
        {
            name = $"agentic-{algorithm}", experiment = "agentic", algorithm, dataset, @base = baseModel, rewards = Array.Empty<object>(), settings, seed = 2,
        });
        run = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(run.Status == RunStatus.Succeeded, $"{algorithm} ended {run.Status}: {run.Error}");
        await AssertMetricsAsync(run, expectedMetrics);
        return run;
    }

    private async Task AssertMetricsAsync(RunDto run, string[] keys)
    {
        var metrics = await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys={string.Join(',', keys)}");
        foreach (var key in keys) Assert.True(metrics.Series.Any(s => s.Key == key && s.Points.Count > 0), $"{run.Algorithm} reported no {key}");
    }

    private static async Task WaitForCountAsync(Func<Task<int>> count, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await count() != expected && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(expected, await count());
    }

    /// <summary>number_guess tasks from 1 to 4, one seed each.</summary>
    private static string TaskJsonl(int count)
    {
        var lines = new StringBuilder();
        for (var seed = 0; seed < count; seed++)
            lines.Append($$$"""{"env":"number_guess","task":"Guess.","seed":{{{seed}}},"parameters":{"max":4}}""").Append('\n');
        return lines.ToString();
    }
}
