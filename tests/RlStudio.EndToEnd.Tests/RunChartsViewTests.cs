using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The run page's charts: held-out eval charts come first, and the view (EMA smoothing, log y axis) is read from and
/// written to the address, so a shared link shows the same view.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RunChartsViewTests(PlatformFixture platform)
{
    [Fact]
    public async Task RunPage_EvalChartsFirst_AndTheViewLivesInTheAddress()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-chart-view", experiment = "e2e-charts", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = 4, batchSize = 8, maxNewTokens = 4, evalEvery = 2, evalSamples = 8 }, seed = 1,
        });
        await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}?smooth=0.6&log=1");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        var reward = page.GetByTestId("reward-chart");
        await Assertions.Expect(reward).ToHaveAttributeAsync("data-points", "4", new() { Timeout = 30_000 });
        await Assertions.Expect(reward).ToHaveAttributeAsync("data-smoothing", "0.6");
        await Assertions.Expect(reward).ToHaveAttributeAsync("data-log", "1");
        await Assertions.Expect(page.GetByTestId("chart-smoothing-value")).ToHaveTextAsync("0.60");

        var keys = await page.EvalOnSelectorAllAsync<string[]>(".run-charts [data-metric-key]:not([hidden])", "els => els.map(e => e.dataset.metricKey)");
        Assert.StartsWith("eval/", keys[0]);
        Assert.Contains("eval/exact_match/pass@1", keys);
        Assert.True(keys.TakeWhile(k => k.StartsWith("eval/", StringComparison.Ordinal)).Count() == keys.Count(k => k.StartsWith("eval/", StringComparison.Ordinal)),
            $"eval charts should come first: {string.Join(", ", keys)}");

        // Switching the log axis off rewrites the address and redraws in place.
        await page.Locator("input[data-testid='chart-log'], [data-testid='chart-log'] input").ClickAsync();
        await Assertions.Expect(reward).ToHaveAttributeAsync("data-log", "0");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/runs/{run.Id}\\?smooth=0.6$"));

        // The smoothing is TensorBoard/W&B's debiased EMA; a gap stays a gap.
        var smoothed = await page.EvaluateAsync<JsonElement>("() => import('./js/chartScales.js').then(m => m.smooth([1, null, 3, 5], 0.5))");
        Assert.Equal(JsonValueKind.Null, smoothed[1].ValueKind);
        Assert.Equal(1.0, smoothed[0].GetDouble(), 9);
        Assert.Equal(7.0 / 3, smoothed[2].GetDouble(), 9);
        Assert.Equal(27.0 / 7, smoothed[3].GetDouble(), 9);
    }
}
