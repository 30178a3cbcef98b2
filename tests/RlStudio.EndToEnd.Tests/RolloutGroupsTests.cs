using System.Globalization;
using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// A GRPO run's rollouts as groups on its page: each prompt's completions side by side, sorted worst or best group first
/// as a user clicks, and narrowed by a step and reward range. A screenshot of the groups goes under screenshots/.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RolloutGroupsTests(PlatformFixture platform)
{
    [Fact]
    public async Task GrpoRollouts_ShowAsGroups_SortedAndFiltered()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-groups", experiment = "e2e", algorithm = "grpo", dataset = "addition-2digit", @base = new { preset = "tiny" },
            rewards = new object[] { new { type = "exact_match", weight = 1.0 }, new { type = "length_penalty", weight = 0.5, targetTokens = 2 } },
            settings = new { steps = 4, batchSize = 16, groupSize = 4, maxNewTokens = 4, evalEvery = 0 }, seed = 9,
        });
        run = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, run.Status);

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await page.GetByTestId("rollouts-as-groups").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid='group']");
        Assert.Equal(4, await page.GetByTestId("group").First.GetByTestId("group-sample").CountAsync());

        await page.GetByTestId("groups-worst").ClickAsync();
        var worst = await MeansOnceSortedAsync(page, means => means.Order());
        Assert.Equal(worst.Order(), worst);
        await page.GetByTestId("groups-best").ClickAsync();
        var best = await MeansOnceSortedAsync(page, means => means.OrderDescending());
        Assert.Equal(best.OrderDescending(), best);
        await Screenshots.SaveAsync(page, "rollout-groups");

        // Step 3's samples with the best reward of that step: the page shows exactly those.
        var stepThree = await platform.GetAsync<RolloutDto[]>($"/api/runs/{run.Id}/rollouts?step=3");
        var threshold = stepThree.Max(r => r.Reward);
        await page.GetByTestId("rollouts-from-step").FillAsync("3");
        await page.GetByTestId("rollouts-to-step").FillAsync("3");
        await page.GetByTestId("rollouts-min-reward").FillAsync(threshold.ToString("R", CultureInfo.InvariantCulture));
        await page.GetByTestId("rollouts-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollouts-view")).ToHaveTextAsync("Search");
        await Assertions.Expect(page.GetByTestId("group-sample")).ToHaveCountAsync(stepThree.Count(r => r.Reward >= threshold));
    }

    /// <summary>The groups' means once the page shows them in <paramref name="order"/> (the click's re-render takes a round trip), or as they are after 10 s.</summary>
    private static async Task<List<double>> MeansOnceSortedAsync(IPage page, Func<List<double>, IEnumerable<double>> order)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var means = await MeansAsync(page);
            if (order(means).SequenceEqual(means) || DateTime.UtcNow > deadline) return means;
            await Task.Delay(100);
        }
    }

    private static async Task<List<double>> MeansAsync(IPage page) =>
        (await page.Locator("[data-testid='group']").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.mean)"))
        .Select(m => double.Parse(m, CultureInfo.InvariantCulture)).ToList();
}
