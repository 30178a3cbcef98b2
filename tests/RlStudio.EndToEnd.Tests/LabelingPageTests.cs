using Microsoft.Playwright;
using RlStudio.Contracts.Labeling;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The labeling page as labelers use it: by keyboard (answers, a rationale, a skip, an undo) with the database holding
/// exactly those labels; and two labelers in two browsers at once never getting the same item beyond the overlap.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LabelingPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Labeler_ByKeyboard_AnswersSkipsAndUndoes_AndTheDatabaseHasExactlyThoseLabels()
    {
        var batch = await ImportAsync("kbd", items: 5, overlap: 1, guidelines: "Prefer the **correct** sum.");
        var (name, password, _) = await platform.AccountAsync("Labeler");
        await using var context = await platform.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await platform.SignInAsync(page, name, password);

        // A labeler lands on the labeling page, which lists the batch.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/labeling$"));
        await page.GetByTestId($"labeling-batch-{batch.Id}").ClickAsync();
        var expected = new Dictionary<long, (PreferenceChoice Choice, string? Rationale)>();

        // 1: left better.
        var item = await ShownAsync(page);
        await Assertions.Expect(page.GetByTestId("labeling-guidelines")).ToContainTextAsync("correct");
        await Assertions.Expect(page.GetByTestId("labeling-prompt")).ToHaveTextAsync(item.Prompt);
        await page.Keyboard.PressAsync("1");
        await Assertions.Expect(page.GetByTestId("pane-left")).ToHaveAttributeAsync("data-chosen", "true");
        await page.Keyboard.PressAsync("Enter");
        expected[item.Id] = (item.LeftIs, null);

        // 2: right better, with a rationale typed after R.
        item = await NextShownAsync(page, item.Id);
        await page.Keyboard.PressAsync("2");
        await page.Keyboard.PressAsync("r");
        await page.Keyboard.TypeAsync("has the right digits");
        await page.Keyboard.PressAsync("Enter");
        expected[item.Id] = (item.RightIs, "has the right digits");

        // 3: skipped.
        item = await NextShownAsync(page, item.Id);
        await page.Keyboard.PressAsync("s");

        // 4: a tie, undone at once (U) — the item comes back with its answer — then answered "both bad".
        item = await NextShownAsync(page, item.Id);
        await page.Keyboard.PressAsync("3");
        await page.Keyboard.PressAsync("Enter");
        var next = await NextShownAsync(page, item.Id);
        await Assertions.Expect(page.GetByTestId("label-undo")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("u");
        await Assertions.Expect(page.GetByTestId("labeling")).ToHaveAttributeAsync("data-item-id", item.Id.ToString());
        await Assertions.Expect(page.GetByTestId("choice-tie")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await page.Keyboard.PressAsync("4");
        await page.Keyboard.PressAsync("Enter");
        expected[item.Id] = (PreferenceChoice.BothBad, null);

        // 5: the item shown before the undo, answered with the mouse.
        item = await NextShownAsync(page, item.Id);
        Assert.Equal(next.Id, item.Id);
        await page.GetByTestId("choice-right").ClickAsync();
        await page.GetByTestId("label-submit").ClickAsync();
        expected[item.Id] = (item.RightIs, null);

        await Assertions.Expect(page.GetByTestId("labeling-nothing-left")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("labeling-progress")).ToContainTextAsync("4 done");

        var stored = await platform.GetAsync<List<StoredLabel>>($"/api/comparison-batches/{batch.Id}/labels");
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Choice, e.Value.Rationale)),
            stored.OrderBy(l => l.ItemId).Select(l => (l.ItemId, l.Choice, l.Rationale)));
        Assert.All(stored, l => Assert.Equal(name, l.Labeler));
    }

    [Fact]
    public async Task TwoLabelers_InTwoBrowsers_NeverGetTheSameItemBeyondTheOverlap()
    {
        var batch = await ImportAsync("pair", items: 6, overlap: 1);
        var pages = new List<IPage>();
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < 2; i++)
        {
            var (name, password, _) = await platform.AccountAsync("Labeler");
            var context = await platform.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            contexts.Add(context);
            var page = await context.NewPageAsync();
            await platform.SignInAsync(page, name, password);
            await page.GotoAsync($"{platform.BaseUrl}/labeling/{batch.Id}");
            await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
            pages.Add(page);
        }
        try
        {
            var seen = new List<long>[] { [], [] };
            // Both open their first item at once, then take turns answering until neither has anything left.
            var states = await Task.WhenAll(pages.Select(StateAsync));
            while (states.Any(s => s.State == "ready"))
            {
                for (var i = 0; i < 2; i++)
                {
                    if (states[i].State != "ready") continue;
                    seen[i].Add(states[i].ItemId!.Value);
                    await pages[i].Keyboard.PressAsync("1");
                    await pages[i].Keyboard.PressAsync("Enter");
                    await pages[i].WaitForFunctionAsync(
                        $"() => {{ const e = document.querySelector('[data-testid=labeling]'); return e && e.dataset.state !== 'busy' && e.dataset.itemId !== '{states[i].ItemId}'; }}");
                    states[i] = await StateAsync(pages[i]);
                }
            }
            Assert.Empty(seen[0].Intersect(seen[1]));
            Assert.Equal(6, seen[0].Count + seen[1].Count);
            Assert.True(seen[0].Count > 0 && seen[1].Count > 0, $"both labeled: {seen[0].Count} and {seen[1].Count}");
            foreach (var page in pages) await Assertions.Expect(page.GetByTestId("labeling-nothing-left")).ToBeVisibleAsync();
            var batchNow = await platform.GetAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
            Assert.Equal((6, 6), (batchNow.LabelCount, batchNow.CompleteItems));
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    private sealed record Shown(long Id, string Prompt, PreferenceChoice LeftIs, PreferenceChoice RightIs);

    private sealed record StoredLabel(long ItemId, int Ordinal, string Labeler, PreferenceChoice Choice, string? Rationale, double Seconds, DateTimeOffset At);

    private static async Task<(string State, long? ItemId)> StateAsync(IPage page)
    {
        var root = page.GetByTestId("labeling");
        await page.WaitForFunctionAsync("() => { const e = document.querySelector('[data-testid=labeling]'); return e && ['ready', 'empty'].includes(e.dataset.state); }");
        var id = await root.GetAttributeAsync("data-item-id");
        return ((await root.GetAttributeAsync("data-state"))!, string.IsNullOrEmpty(id) ? null : long.Parse(id));
    }

    /// <summary>The item on screen once the page is ready: which stored choice each side stands for (the text says A or B).</summary>
    private static async Task<Shown> ShownAsync(IPage page)
    {
        var (state, id) = await StateAsync(page);
        Assert.Equal("ready", state);
        var left = await page.GetByTestId("pane-left-text").InnerTextAsync();
        var right = await page.GetByTestId("pane-right-text").InnerTextAsync();
        Assert.NotEqual(left[0], right[0]);
        var prompt = await page.GetByTestId("labeling-prompt").InnerTextAsync();
        return left.StartsWith('A')
            ? new Shown(id!.Value, prompt.Trim(), PreferenceChoice.A, PreferenceChoice.B)
            : new Shown(id!.Value, prompt.Trim(), PreferenceChoice.B, PreferenceChoice.A);
    }

    private static async Task<Shown> NextShownAsync(IPage page, long previous)
    {
        await page.WaitForFunctionAsync(
            $"() => {{ const e = document.querySelector('[data-testid=labeling]'); return e && e.dataset.state === 'ready' && e.dataset.itemId !== '{previous}'; }}");
        return await ShownAsync(page);
    }

    private Task<ComparisonBatchDto> ImportAsync(string prefix, int items, int overlap, string? guidelines = null) =>
        platform.ImportBatchAsync($"{prefix}-{Guid.NewGuid():N}"[..20],
            string.Concat(Enumerable.Range(0, items).Select(i => $"{{\"prompt\":\"{prefix} {i}: 2{i}+1{i}=\",\"response_a\":\"A says {i}\",\"response_b\":\"B says {i + 1}\"}}\n")),
            overlap, guidelines);
}
