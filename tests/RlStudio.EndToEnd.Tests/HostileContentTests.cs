using System.Net.Http.Json;
using Microsoft.Playwright;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Script and HTML in what users and models write — dataset prompts and references, run names and notes, model
/// completions — show as text on every page that displays them, and none of it runs.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileContentTests(PlatformFixture platform)
{
    private const string Script = "<script>window.__pwned = 'script'</script>";
    private const string Image = "<img src=x onerror=\"window.__pwned = 'img'\">";
    private const string Svg = "<svg onload=\"window.__pwned = 'svg'\"></svg>";

    [Fact]
    public async Task Pages_ShowHostileTextAsText_AndRunNoScript()
    {
        var name = $"xss-{Guid.NewGuid():N}"[..12];
        var dataset = await platform.UploadDatasetAsync(name, string.Join('\n',
            System.Text.Json.JsonSerializer.Serialize(new { prompt = Script, reference = Image }),
            System.Text.Json.JsonSerializer.Serialize(new { prompt = Svg, reference = "ok" })));
        // A run on a queue no worker serves stays queued; a worker key of our own claims it and reports hostile completions.
        var run = await platform.CreateRunAsync(new
        {
            name = $"{name} {Image}", experiment = "e2e-xss", algorithm = "sft", dataset = dataset.Name, @base = new { preset = "tiny" },
            settings = new { steps = 1, evalEvery = 0 }, queue = "xss-only", notes = Script,
        });
        using var keyResponse = await platform.Api.PostAsJsonAsync("/api/workers/keys", new CreateApiKeyRequest("xss-worker"));
        var key = (await keyResponse.Content.ReadFromJsonAsync<CreatedApiKeyDto>())!.Key;
        using var worker = new HttpClient { BaseAddress = new Uri(platform.BaseUrl + "/") };
        worker.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        (await worker.PostAsJsonAsync($"api/ingest/runs/{run.Id}/claim", new ClaimRunRequest("xss-worker"))).EnsureSuccessStatusCode();
        var samples = new[] { Script, Image, Svg }.Select((text, i) =>
            new RolloutDto(1, i, Script, text, Image, 0, new Dictionary<string, double?> { ["exact_match"] = 0 }, null, 3)).ToList();
        (await worker.PostAsJsonAsync($"api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();

        var page = await platform.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("rollouts")).ToContainTextAsync(Svg, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("rollouts")).ToContainTextAsync(Image);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(Image);   // the run's name in its header
        await AssertNothingRanAsync(page);

        await page.GotoAsync($"{platform.BaseUrl}/runs?q={name}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId($"run-row-{run.Id}")).ToContainTextAsync(Image);
        await AssertNothingRanAsync(page);

        await page.GotoAsync($"{platform.BaseUrl}/datasets");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await page.GetByTestId($"dataset-row-{dataset.Id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("dataset-preview")).ToContainTextAsync(Script, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("dataset-preview")).ToContainTextAsync(Svg);
        await AssertNothingRanAsync(page);

        await page.GotoAsync($"{platform.BaseUrl}/audit");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("audit-table")).ToContainTextAsync("<img src=x onerror=");   // inside the run.create entry's JSON
        await AssertNothingRanAsync(page);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task LabelingPage_RendersMarkdown_ButNoHtmlScriptOrUnsafeLink()
    {
        var markdown = $"**bold** and `code`\n\n{Script}\n\n{Image} [click](javascript:window.__pwned='link') [docs](https://example.org/x)";
        var jsonl = System.Text.Json.JsonSerializer.Serialize(new { prompt = Svg, response_a = markdown, response_b = Image }) + "\n";
        var batch = await platform.ImportBatchAsync($"xss-batch-{Guid.NewGuid():N}"[..20], jsonl, overlap: 1, guidelines: Script + " [g](javascript:alert(1))");
        var (name, password, _) = await platform.AccountAsync("Labeler");
        await using var context = await platform.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await platform.SignInAsync(page, name, password);

        await page.GotoAsync($"{platform.BaseUrl}/labeling/{batch.Id}");
        await page.WaitForSelectorAsync("[data-testid='labeling'][data-state='ready']", new() { Timeout = 60_000 });

        var pane = page.Locator("[data-pane]").Filter(new() { HasText = "bold" });
        await Assertions.Expect(pane.Locator("strong")).ToHaveTextAsync("bold");      // Markdown is rendered
        await Assertions.Expect(pane).ToContainTextAsync(Script);                      // HTML is shown as text
        await Assertions.Expect(pane.Locator("a", new() { HasText = "docs" })).ToHaveAttributeAsync("href", "https://example.org/x");
        Assert.DoesNotContain("javascript", await pane.Locator("a", new() { HasText = "click" }).GetAttributeAsync("href") ?? "");
        await Assertions.Expect(page.GetByTestId("labeling-prompt")).ToContainTextAsync(Svg);
        await Assertions.Expect(page.GetByTestId("labeling-guidelines")).ToContainTextAsync(Script);
        Assert.Equal(0, await page.Locator("a[href^='javascript']").CountAsync());
        await page.Locator("a", new() { HasText = "click" }).ClickAsync();
        await AssertNothingRanAsync(page);
        Assert.Equal(0, dialogs);
    }

    private static async Task AssertNothingRanAsync(IPage page)
    {
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("img[src='x'], svg[onload]").CountAsync());
    }
}
