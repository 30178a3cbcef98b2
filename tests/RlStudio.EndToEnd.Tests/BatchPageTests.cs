using System.Net.Http.Json;
using Microsoft.Playwright;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The researcher's side of labeling in the browser: the batch list, a batch's live label count and agreement,
/// excluding a labeler, saving the export, "Train reward model", and on that run's page "Use as reward".
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BatchPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task BatchPage_ShowsLabelsLive_ExportsAndTrainsARewardModel_ThatScoresANewRun()
    {
        var name = $"page-{Guid.NewGuid():N}"[..16];
        var batch = await ImportAsync(name, items: 6, overlap: 2);
        var (firstName, _, first) = await platform.AccountAsync("Labeler");
        var (_, _, second) = await platform.AccountAsync("Labeler");
        await LabelAsync(first, batch.Id, 6, careful: true);
        await LabelAsync(second, batch.Id, 5, careful: false);

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/batches");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await page.GetByTestId($"batch-row-{batch.Id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-labels")).ToHaveTextAsync("11");
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Ready");
        await Assertions.Expect(page.GetByTestId("batch-labelers").Locator("tbody tr")).ToHaveCountAsync(2);

        // A label given elsewhere shows up on the open page.
        await LabelAsync(second, batch.Id, 1, careful: false);
        await Assertions.Expect(page.GetByTestId("batch-labels")).ToHaveTextAsync("12", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("batch-alpha")).Not.ToHaveTextAsync("—");

        // Leave the first labeler out of the exports.
        await page.GetByTestId($"exclude-{firstName}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"exclude-{firstName}")).Not.ToBeCheckedAsync();
        // The row greys out once the server has stored the exclusion (and recomputed the statistics).
        await Assertions.Expect(page.GetByTestId("batch-labelers").Locator("tr.muted")).ToHaveCountAsync(1);
        var excluded = await platform.GetAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Equal([firstName], excluded.ExcludedLabelers);

        await page.GetByTestId("export-dataset-name").FillAsync($"{name}-prefs");
        await page.GetByTestId("export-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("export-result")).ToContainTextAsync($"{name}-prefs v1");

        // Train reward model: a reward_model run on a new version of that export, whose page opens.
        await page.GetByTestId("train-reward-model").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"), new() { Timeout = 30_000 });
        var runId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        var rewardModel = await platform.GetAsync<RunDto>($"/api/runs/{runId}");
        Assert.Equal((Algorithm.RewardModel, $"{name}-prefs"), (rewardModel.Algorithm, rewardModel.DatasetName));
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 300_000 });
        await Assertions.Expect(page.GetByTestId("run-heldout-accuracy")).ToBeVisibleAsync();

        // Use as reward: New Run proposes GRPO scored by this reward model.
        await page.GetByTestId("use-as-reward").ClickAsync();
        await page.GetByTestId("new-run-submit").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($@"/runs/(?!{runId}$)\d+$"), new() { Timeout = 30_000 });
        var scoredId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        var scored = await platform.GetAsync<RunDto>($"/api/runs/{scoredId}");
        Assert.Equal(Algorithm.Grpo, scored.Algorithm);
        var reward = Assert.Single(scored.Rewards);
        Assert.Equal(RewardType.RewardModel, reward.Type);
        var checkpoints = await platform.GetAsync<CheckpointDto[]>($"/api/runs/{runId}/checkpoints");
        Assert.Equal(checkpoints.MaxBy(c => c.Step)!.Id, reward.CheckpointId); // the reward model's newest checkpoint
        (await platform.Api.PostAsync($"/api/runs/{scoredId}/cancel", null)).EnsureSuccessStatusCode();

        // The batch page lists the reward model with its held-out agreement.
        await page.GotoAsync($"{platform.BaseUrl}/batches/{batch.Id}");
        await Assertions.Expect(page.GetByTestId("batch-reward-models")).ToContainTextAsync($"#{runId}");
    }

    private Task<ComparisonBatchDto> ImportAsync(string name, int items, int overlap) =>
        platform.ImportBatchAsync(name, string.Concat(Enumerable.Range(0, items).Select(i => $"{{\"prompt\":\"{i}+{i}=\",\"response_a\":\"{2 * i}\",\"response_b\":\"{2 * i + 1}\"}}\n")), overlap);

    /// <summary>Answers <paramref name="count"/> items: a careful labeler prefers the correct sum (response A), a careless one the left side.</summary>
    private static async Task LabelAsync(HttpClient labeler, long batchId, int count, bool careful)
    {
        for (var i = 0; i < count; i++)
        {
            var item = (await labeler.GetFromJsonAsync<LabelingItemDto>($"/api/labeling/next?batchId={batchId}", PlatformFixture.Json))!;
            var sum = item.Prompt.TrimEnd('=').Split('+').Sum(int.Parse).ToString();
            // A careless labeler picks the wrong answer: its labels always differ from a careful one's, so the agreement is
            // defined (it was not when a careless "always left" happened to match every careful label, 1 run in 64).
            (await labeler.PostAsJsonAsync($"/api/labeling/{item.ItemId}", new { choice = (item.Left == sum) == careful ? "left" : "right" })).EnsureSuccessStatusCode();
        }
    }
}
