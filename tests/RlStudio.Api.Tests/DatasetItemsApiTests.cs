using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task Content_IsTheVersionAsJsonl_WithItsExtraFields_AndUploadsBackToTheSameItems()
    {
        var name = ApiFixture.UniqueName("download");
        await UploadAsync(name, """
            {"prompt": "1+1=", "reference": "2", "source": "hand-written"}
            {"prompt": "ünïcode \"quoted\"", "reference": "x\ny"}
            """);

        var response = await fixture.Client.GetAsync($"/api/datasets/{name}/content");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{name}-v1.jsonl", response.Content.Headers.ContentDisposition?.FileName);
        var jsonl = await response.Content.ReadAsStringAsync();
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"prompt":"1+1=","reference":"2","source":"hand-written"}""", lines[0]);
        var copy = ApiFixture.UniqueName("reupload");
        await UploadAsync(copy, jsonl);
        var original = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{name}/items"))!;
        var again = (await fixture.Client.GetFromJsonAsync<DatasetItemsPage>($"/api/datasets/{copy}/items"))!;
        Assert.Equal(original.Items, again.Items);
    }

    [Fact]
    public async Task Content_OfAPreferenceDataset_HasChosenAndRejected()
    {
        var name = ApiFixture.UniqueName("prefdl");
        await UploadAsync(name, """{"prompt": "q", "chosen": "good", "rejected": "bad"}""");

        var jsonl = await fixture.Client.GetStringAsync($"/api/datasets/{name}/content?version=1");

        Assert.Equal("""{"prompt":"q","chosen":"good","rejected":"bad"}""" + "\n", jsonl);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/datasets/{name}/content?version=2")).StatusCode);
    }

    [Fact]
    public async Task Delete_UnusedDataset_RemovesEveryVersion_ButOneARunTrainsOnIsRefused()
    {
        var unused = ApiFixture.UniqueName("unused");
        await UploadAsync(unused, """{"prompt": "a", "reference": "b"}""");
        await UploadAsync(unused, """{"prompt": "a", "reference": "c"}""");
        var used = ApiFixture.UniqueName("used");
        await UploadAsync(used, """{"prompt": "a", "reference": "b"}""");
        var run = await fixture.Client.PostAsJsonAsync("/api/runs", new
        {
            name = ApiFixture.UniqueName("on-used"), algorithm = "sft", dataset = used, @base = new { preset = "tiny" },
        });
        run.EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/api/datasets/{unused}")).StatusCode);
        var refused = await fixture.Client.DeleteAsync($"/api/datasets/{used}");

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/datasets/{unused}")).StatusCode);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Dataset!.Name == unused)));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("train on it", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/datasets/{used}")).StatusCode);
    }

    private static string Lines(int count, Func<int, string> line) => string.Join("\n", Enumerable.Range(0, count).Select(line));

    private async Task<DatasetDto> UploadAsync(string name, string jsonl)
    {
        var response = await fixture.UploadDatasetAsync(name, jsonl);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DatasetDto>())!;
    }
}
