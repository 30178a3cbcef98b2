using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>The run page's actions in a real browser: a new run from a checkpoint, export, notes and tags, clone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CheckpointActionsTests(PlatformFixture platform)
{
    [Fact]
    public async Task SftCheckpoint_NewRunFromIt_QueuesGrpoOnThatCheckpoint_AndExportNamesBadFolders()
    {
        var sft = await platform.CreateRunAsync(new
        {
            name = "actions-sft", experiment = "e2e-actions", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = 4, batchSize = 8, maxNewTokens = 4, checkpointEvery = 2 }, seed = 5,
        });
        sft = await platform.WaitForRunAsync(sft.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, sft.Status);
        var first = (await platform.GetAsync<CheckpointDto[]>($"/api/runs/{sft.Id}/checkpoints")).Single(c => c.Step == 2);

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{sft.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

        // Export: a relative folder is refused with the server's reason, in the dialog.
        await page.GetByTestId("checkpoint-export").First.ClickAsync();
        await page.Locator("input[data-testid='export-folder'], [data-testid='export-folder'] input").FillAsync("relative/folder");
        await page.GetByTestId("export-submit").ClickAsync();
        await Assertions.Expect(page.GetByText("absolute")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("export-submit")).ToHaveCountAsync(0);

        // Export to an absolute folder: the Exports table appears and follows the export live to Succeeded.
        var folder = Path.Combine(Path.GetTempPath(), "rlstudio-e2e-ui-export-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await page.GetByTestId("checkpoint-export").First.ClickAsync();
            await page.Locator("input[data-testid='export-folder'], [data-testid='export-folder'] input").FillAsync(folder);
            await page.GetByTestId("export-submit").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid^='export-row-'][data-status='Succeeded']", new() { Timeout = 120_000 });
            Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }

        // Notes and tags, edited in a dialog: a bad tag is named there; a good edit shows on the page and in the API.
        await page.GetByTestId("edit-run").ClickAsync();
        await page.Locator("textarea[data-testid='edit-notes'], [data-testid='edit-notes'] textarea").FillAsync("lr 1e-3 looked stable");
        await page.Locator("input[data-testid='edit-tags'], [data-testid='edit-tags'] input").FillAsync("baseline, not ok");
        await page.GetByTestId("edit-save").ClickAsync();
        await Assertions.Expect(page.GetByText("'not ok' is not a tag")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator("input[data-testid='edit-tags'], [data-testid='edit-tags'] input").FillAsync("baseline, lr:1e-3");
        await page.GetByTestId("edit-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-tags")).ToHaveTextAsync("baselinelr:1e-3", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("run-notes")).ToHaveTextAsync("lr 1e-3 looked stable");
        var edited = await platform.GetAsync<RunDto>($"/api/runs/{sft.Id}");
        Assert.Equal(new[] { "baseline", "lr:1e-3" }, edited.Tags);

        // New run from the step-2 checkpoint (the first row): GRPO proposed, base pinned to that checkpoint.
        await page.GetByTestId("checkpoint-new-run").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-run-base-checkpoint")).ToContainTextAsync($"checkpoint #{first.Id}", new() { Timeout = 15_000 });
        await page.GetByTestId("new-run-submit").ClickAsync();
        // Blazor navigates in the page (no load event): wait for the address to name the new run.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (page.Url.EndsWith($"/runs/{sft.Id}", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.False(page.Url.EndsWith($"/runs/{sft.Id}", StringComparison.Ordinal), await page.InnerTextAsync("body"));

        var id = long.Parse(page.Url.Split('/').Last());
        var child = await platform.GetAsync<RunDto>($"/api/runs/{id}");
        Assert.Equal(Algorithm.Grpo, child.Algorithm);
        Assert.Equal(first.Id, child.Base.CheckpointId);
        Assert.Equal("addition-2digit", child.DatasetName);
        Assert.Equal("e2e-actions", child.Experiment);
        await platform.Api.PostAsync($"/api/runs/{id}/cancel", null);

        // Clone: the dialog starts as a copy of the SFT run; submitting queues the same spec under a new name.
        await page.GotoAsync($"{platform.BaseUrl}/runs/{sft.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await page.GetByTestId("clone-run").ClickAsync();
        await page.GetByTestId("new-run-submit").ClickAsync();
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (page.Url.EndsWith($"/runs/{sft.Id}", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(200);
        var copy = await platform.GetAsync<RunDto>($"/api/runs/{long.Parse(page.Url.Split('/').Last())}");
        Assert.Equal(($"{sft.Name}-copy", Algorithm.Sft, sft.Seed, sft.Experiment), (copy.Name, copy.Algorithm, copy.Seed, copy.Experiment));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(sft.Settings, PlatformFixture.Json), System.Text.Json.JsonSerializer.Serialize(copy.Settings, PlatformFixture.Json));
        await platform.Api.PostAsync($"/api/runs/{copy.Id}/cancel", null);
    }
}
