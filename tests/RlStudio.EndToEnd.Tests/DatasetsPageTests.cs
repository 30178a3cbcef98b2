using RlStudio.Contracts.Datasets;

namespace RlStudio.EndToEnd.Tests;

/// <summary>The Datasets page: a dataset's row opens its items, page by page.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DatasetsPageTests(PlatformFixture platform)
{
    [Fact]
    public async Task DatasetRow_OpensItsItems_AndPagesThroughThem()
    {
        var dataset = await platform.GetAsync<DatasetDto>("/api/datasets/addition-2digit");
        var expected = await platform.GetAsync<DatasetItemsPage>($"/api/datasets/{dataset.Id}/items?offset=25&limit=1");
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/datasets");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

        await page.GetByTestId($"dataset-row-{dataset.Id}").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid='dataset-preview'][data-offset='0']");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("dataset-item")).ToHaveCountAsync(25);

        await page.GetByTestId("dataset-next").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid='dataset-preview'][data-offset='25']");
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("dataset-item").First).ToContainTextAsync(expected.Items[0].Prompt);
    }

    [Fact]
    public async Task UnusedDataset_DeletedFromItsDialog_LeavesTheList()
    {
        var dataset = await platform.UploadDatasetAsync("e2e-delete-me", """{"prompt": "2+2=", "reference": "4"}""");
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/datasets");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });

        await page.GetByTestId($"dataset-row-{dataset.Id}").ClickAsync();
        await page.GetByTestId("dataset-delete").ClickAsync();
        await page.Locator("button:not([data-testid='dataset-delete'])", new() { HasTextString = "Delete" }).ClickAsync();

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId($"dataset-row-{dataset.Id}")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        using var gone = await platform.Api.GetAsync($"/api/datasets/{dataset.Id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }
}
