using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The backbone's demo path end to end: upload an addition dataset, SFT a tiny policy on it while a real
/// browser watches the run page fill in live, then GRPO from the SFT run's final checkpoint with an
/// exact-match reward and check that its reward rises.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TrainAndWatchTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task SftThenGrpo_WatchedInBrowser_ChartGrowsLiveAndGrpoRewardRises()
    {
        var dataset = await platform.UploadDatasetAsync("e2e-addition", E2eRecipe.AdditionJsonl(E2eRecipe.Digits, E2eRecipe.DatasetSize, seed: 7));

        var sft = await platform.CreateRunAsync(new
        {
            name = "e2e-sft",
            experiment = "e2e",
            algorithm = "sft",
            dataset = dataset.Name,
            @base = new { preset = "tiny" },
            rewards = new[] { new { type = "exact_match", weight = 1.0 } },
            settings = E2eRecipe.SftSettings,
            seed = 1,
        });
        Assert.Equal(RunStatus.Queued, sft.Status);

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{sft.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

        // The chart gains points while the run trains: pushed over SignalR, the page never reloads.
        var chart = page.GetByTestId("reward-chart");
        var early = await WaitForChartPointsAsync(chart, atLeast: 1);
        var later = await WaitForChartPointsAsync(chart, atLeast: early + 3);
        output.WriteLine($"SFT chart points: {early} → {later}");
        Assert.True(later > early);
        await Assertions.Expect(page.GetByTestId("run-eta")).ToContainTextAsync("steps/s", new() { Timeout = 30_000 });
        output.WriteLine($"SFT pace: {await page.GetByTestId("run-eta").InnerTextAsync()}");

        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Assertions.Expect(page.GetByTestId("run-runtime")).ToContainTextAsync("ran ");
        var finalPoints = await ChartPointsAsync(chart);
        Assert.Equal(E2eRecipe.SftSteps, finalPoints);
        Assert.True(await page.GetByTestId("rollouts").Locator("tr").CountAsync() > 1, "the rollouts table shows samples");

        // Rollouts of earlier steps, one step at a time, then back to live.
        await page.GetByTestId("rollouts-older").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollouts-view")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Step \d+$"));
        var newestShown = int.Parse((await page.GetByTestId("rollouts-view").InnerTextAsync())[5..]);
        await page.GetByTestId("rollouts-older").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollouts-view")).Not.ToHaveTextAsync($"Step {newestShown}");
        var olderShown = int.Parse((await page.GetByTestId("rollouts-view").InnerTextAsync())[5..]);
        Assert.True(olderShown < newestShown, $"older step {olderShown} should come before {newestShown}");
        Assert.True(await page.GetByTestId("rollouts").Locator("tbody tr:not([data-empty])").CountAsync() > 0);
        await page.GetByTestId("rollouts-live").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollouts-view")).ToHaveTextAsync("Live");

        // Found by words: a number from a sample's prompt, searched over every step.
        var sample = (await platform.GetAsync<RolloutDto[]>($"/api/runs/{sft.Id}/rollouts?limit=1")).Single();
        var word = System.Text.RegularExpressions.Regex.Match(sample.Prompt, @"\d+").Value;
        var expected = (await platform.GetAsync<RolloutDto[]>($"/api/runs/{sft.Id}/rollouts?q={word}&limit=200")).Length;
        Assert.True(expected > 0, $"the API finds '{word}'");
        var search = page.GetByTestId("rollouts-search");
        await search.FillAsync(word);
        await search.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("rollouts-view")).ToHaveTextAsync("Search");
        await Assertions.Expect(page.GetByTestId("rollouts").Locator("tbody tr:not([data-empty])")).ToHaveCountAsync(expected);
        await page.GetByTestId("rollouts-live").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollouts-view")).ToHaveTextAsync("Live");

        var sftDone = await platform.GetAsync<RunDto>($"/api/runs/{sft.Id}");
        output.WriteLine($"SFT final: {string.Join(", ", sftDone.LatestMetrics.Select(m => $"{m.Key}={m.Value:0.###}"))}");
        var checkpoints = await platform.GetAsync<CheckpointDto[]>($"/api/runs/{sft.Id}/checkpoints");
        Assert.Contains(checkpoints, c => c.Step == E2eRecipe.SftSteps);

        var grpo = await platform.CreateRunAsync(new
        {
            name = "e2e-grpo",
            experiment = "e2e",
            algorithm = "grpo",
            dataset = dataset.Id.ToString(),
            @base = new { runId = sft.Id },
            rewards = new[] { new { type = "exact_match", weight = 1.0 } },
            settings = E2eRecipe.GrpoSettings,
            seed = 2,
        });
        var grpoDone = await platform.WaitForRunAsync(grpo.Id, r => r.Status.IsTerminal(), RunTimeout);
        Assert.True(grpoDone.Status == RunStatus.Succeeded, $"GRPO ended {grpoDone.Status}: {grpoDone.Error}");

        var metrics = await platform.GetAsync<MetricsResponse>($"/api/runs/{grpo.Id}/metrics?keys=reward/mean&maxPoints=10000");
        var reward = Assert.Single(metrics.Series).Points.Select(p => p.Value).ToArray();
        Assert.Equal(E2eRecipe.GrpoSteps, reward.Length);
        var window = E2eRecipe.RewardWindow;
        var first = reward.Take(window).Average();
        var last = reward.TakeLast(window).Average();
        output.WriteLine($"GRPO reward/mean: first {window} steps {first:0.###}, last {window} steps {last:0.###}; all: {string.Join(" ", reward.Select(r => r.ToString("0.##")))}");
        Assert.True(last > first, $"GRPO reward/mean should rise: first {first:0.###}, last {last:0.###}");

        // On the runs list: the name filter narrows the table; tick both runs and compare them overlaid.
        await page.GotoAsync($"{platform.BaseUrl}/runs");
        // Typing before the circuit is interactive would type into the prerendered page, and be lost.
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await page.WaitForSelectorAsync($"[data-testid='run-row-{grpo.Id}']", new() { Timeout = 30_000 });
        await page.GetByTestId("runs-search").FillAsync("e2e-grpo");
        await Assertions.Expect(page.GetByTestId($"run-row-{sft.Id}")).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]q=e2e-grpo")); // a filtered list can be shared
        await page.GetByTestId("runs-search").FillAsync("e2e-");
        await page.GetByTestId($"run-select-{sft.Id}").ClickAsync();
        await page.GetByTestId($"run-select-{grpo.Id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("compare-selected")).ToContainTextAsync("(2)");
        await page.GetByTestId("compare-selected").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid='compare-chart'][data-series='2']", new() { Timeout = 30_000 });
        Assert.Contains($"ids={Math.Min(sft.Id, grpo.Id)},{Math.Max(sft.Id, grpo.Id)}", page.Url);
        // Their configurations side by side: what differs is marked (and by default only that shows).
        await Assertions.Expect(page.Locator("[data-testid='config-row'][data-key='algorithm'][data-differs='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid='config-row'][data-differs='false']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RunningRun_CancelledFromTheBrowser_EndsCancelledWithACheckpoint()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-cancel",
            experiment = "e2e",
            algorithm = "sft",
            dataset = "addition-3digit",
            @base = new { preset = "tiny" },
            settings = new { steps = 100000, checkpointEvery = 100000 },
            seed = 3,
        });
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running", new() { Timeout = (float)RunTimeout.TotalMilliseconds });

        await page.GetByTestId("cancel-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });
        var cancelled = await platform.GetAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        var checkpoints = await platform.GetAsync<CheckpointDto[]>($"/api/runs/{run.Id}/checkpoints");
        Assert.Contains(checkpoints, c => c.Step == cancelled.Step);

        // Deleted from its page (after a confirmation): another open runs list loses the row live.
        var list = await platform.NewPageAsync();
        await list.GotoAsync($"{platform.BaseUrl}/runs");
        await list.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await list.WaitForSelectorAsync($"[data-testid='run-row-{run.Id}']", new() { Timeout = 30_000 });
        await page.GetByTestId("delete-run").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(list.GetByTestId($"run-row-{run.Id}")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        using var gone = await platform.Api.GetAsync($"/api/runs/{run.Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<int> ChartPointsAsync(ILocator chart) =>
        int.TryParse(await chart.GetAttributeAsync("data-points"), out var points) ? points : 0;

    private static async Task<int> WaitForChartPointsAsync(ILocator chart, int atLeast)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var points = await ChartPointsAsync(chart);
            if (points >= atLeast) return points;
            await Task.Delay(200);
        }
        throw new TimeoutException($"The reward chart never reached {atLeast} points.");
    }
}
