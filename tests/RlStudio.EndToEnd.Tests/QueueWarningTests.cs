using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// A run queued where no worker listens, as a new user would meet it: a warning badge in the runs list and a warning on
/// its page, its queue marked stuck on the Workers page; moved to a served queue from its page (Edit), the warning goes and
/// a worker trains it. Screenshots go under the test output (screenshots/).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class QueueWarningTests(PlatformFixture platform)
{
    [Fact]
    public async Task RunOnAnUnservedQueue_IsWarnedAboutEverywhere_AndStartsOnceMoved()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-nowhere", experiment = "e2e", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = 5, batchSize = 8, maxNewTokens = 4, evalEvery = 0 }, queue = "nowhere",
        });
        Assert.NotEmpty(run.Warnings ?? []);
        var page = await platform.NewPageAsync();

        await page.GotoAsync($"{platform.BaseUrl}/runs");
        await Assertions.Expect(page.GetByTestId($"run-warning-{run.Id}")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GotoAsync($"{platform.BaseUrl}/workers");
        await Assertions.Expect(page.Locator("[data-testid='queue-row'][data-queue='nowhere']")).ToHaveAttributeAsync("data-stuck", "true", new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "queues-stuck");

        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-warning")).ToContainTextAsync("nowhere");
        await Screenshots.SaveAsync(page, "queue-warning");
        await page.GetByTestId("edit-run").ClickAsync();
        await page.GetByTestId("edit-queue").FillAsync("default");
        await page.GetByTestId("edit-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Assertions.Expect(page.GetByTestId("run-warning")).ToHaveCountAsync(0);
    }
}
