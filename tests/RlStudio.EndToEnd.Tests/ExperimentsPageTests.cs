using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>The Experiments page: each experiment with its runs; a row opens the runs list filtered to it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ExperimentsPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task ExperimentRow_OpensTheRunsListFilteredToIt()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "exp-page-run", experiment = "e2e-experiments", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = 1, batchSize = 4, maxNewTokens = 2 }, seed = 1,
        });
        await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/experiments");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

        var row = page.GetByTestId("experiment-row-e2e-experiments");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await row.GetByTestId("experiment-link").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?experiment=e2e-experiments$"));
        await Assertions.Expect(page.GetByTestId($"run-row-{run.Id}")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid^='run-row-']")).ToHaveCountAsync(1);

        // The Runs link clears the filter again (same page, new address).
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs$"));
        await Assertions.Expect(page.GetByTestId("runs-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d+) of \1 runs$"));
    }
}
