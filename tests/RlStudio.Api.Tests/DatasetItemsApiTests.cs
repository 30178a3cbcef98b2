using System.Net;
using System.Net.Http.Json;
using System.Text;
using RlStudio.Contracts.Datasets;

namespace RlStudio.Api.Tests;

/// <summary><c>GET /api/datasets/{nameOrId}</c> and <c>/items</c>: browsing a dataset's versions page by page.</summary>
[Collection("api")]
public sealed class DatasetItemsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Items_PagesThroughTheNewestVersionInFileOrder()
    {
        var name = ApiFixture.UniqueName("browse");
        var dataset = await UploadAsync(name, Lines(7, i => $$"""{"prompt":"p{{i}}","reference":"r{{i}}"}"""));

        var first = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{name}/items?limit=3"))!;
        var last = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{dataset.Id}/items?offset=6&limit=3"))!;

        Assert.Equal((dataset.Id, name, 1, DatasetKind.Prompts, 7, 0), (first.DatasetId, first.Name, first.Version, first.Kind, first.Total, first.Offset));
        Assert.Equal(new[] { "p0", "p1", "p2" }, first.Items.Select(i => i.Prompt));
        Assert.Equal(new[] { "r0", "r1", "r2" }, first.Items.Select(i => i.Reference));
        Assert.Equal(6, last.Offset);
        Assert.Equal(new[] { "p6" }, last.Items.Select(i => i.Prompt));
    }

    [Fact]
    public async Task Items_OfAnOlderVersion()
    {
        var name = ApiFixture.UniqueName("versions");
        await UploadAsync(name, Lines(2, i => $$"""{"prompt":"old{{i}}","reference":"x"}"""));
        var newest = await UploadAsync(name, Lines(3, i => $$"""{"prompt":"new{{i}}","reference":"y"}"""));
        Assert.Equal(2, newest.Version);

        var v1 = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{name}/items?version=1"))!;
        var v2 = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{name}/items"))!;

        Assert.Equal((1, 2, "old0"), (v1.Version, v1.Total, v1.Items[0].Prompt));
        Assert.Equal((2, 3, "new0"), (v2.Version, v2.Total, v2.Items[0].Prompt));
        var read = (await fixture.Client.GetFromJsonAsync<DatasetDto>($"/api/datasets/{name}"))!;
        Assert.Equal((newest.Id, newest.VersionId, 2, 3), (read.Id, read.VersionId, read.Version, read.ItemCount));
    }

    [Fact]
    public async Task Items_OfAPreferenceDataset_HoldChosenAndRejected()
    {
        var name = ApiFixture.UniqueName("prefs");
        await UploadAsync(name, Lines(3, i => $$"""{"prompt":"q{{i}}","chosen":"good{{i}}","rejected":"bad{{i}}"}"""));

        var page = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{name}/items"))!;

        Assert.Equal((DatasetKind.Preferences, 3), (page.Kind, page.Total));
        Assert.Equal(("q1", "good1", "bad1"), (page.Items[1].Prompt, page.Items[1].Chosen, page.Items[1].Rejected));
    }

    [Theory]
    [InlineData("offset=-1", "offset")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("version=0", "version")]
    public async Task Items_BadPaging_Returns400NamingIt(string query, string field)
    {
        var response = await fixture.Client.GetAsync($"/api/datasets/addition-2digit/items?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownDatasetOrVersion_Returns404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/datasets/no-such-dataset")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/datasets/no-such-dataset/items")).StatusCode);
        var response = await fixture.Client.GetAsync("/api/datasets/addition-2digit/items?version=99");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no version 99", await response.Content.ReadAsStringAsync());
    }

    private static string Lines(int count, Func<int, string> line) => string.Join("\n", Enumerable.Range(0, count).Select(line));

    private async Task<DatasetDto> UploadAsync(string name, string jsonl)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "data.jsonl" },
        };
        var response = await fixture.Client.PostAsync("/api/datasets", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DatasetDto>())!;
    }
}
