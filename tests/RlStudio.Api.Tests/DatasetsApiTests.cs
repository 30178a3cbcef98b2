using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Ingest;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class DatasetsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Seed_DemoDataset_IsListed()
    {
        var datasets = await fixture.Client.GetFromJsonAsync<List<DatasetDto>>("/api/datasets");
        var demo = Assert.Single(datasets!, d => d.Name == "addition-3digit");
        Assert.Equal(4096, demo.ItemCount);
        var items = await fixture.VersionItemsAsync(demo.VersionId);
        var first = items[0];
        var operands = first.Prompt.TrimEnd('=').Split('+').Select(int.Parse).ToList();
        Assert.Equal((operands[0] + operands[1]).ToString(), first.Reference);
    }

    [Theory]
    [InlineData("sort-digits", "sort")]
    [InlineData("reverse-letters", "reverse")]
    public async Task Seed_SymbolTasks_AreListedWithCorrectAnswers(string name, string verb)
    {
        var datasets = await fixture.Client.GetFromJsonAsync<List<DatasetDto>>("/api/datasets");
        var dataset = Assert.Single(datasets!, d => d.Name == name);
        Assert.Equal(4096, dataset.ItemCount);
        var items = await fixture.VersionItemsAsync(dataset.VersionId);
        Assert.All(items, item =>
        {
            Assert.StartsWith($"{verb} ", item.Prompt);
            var symbols = item.Prompt[(verb.Length + 1)..].TrimEnd('=');
            Assert.InRange(symbols.Length, 4, 6);
            var expected = verb == "sort" ? new string([.. symbols.Order()]) : new string([.. symbols.Reverse()]);
            Assert.Equal(expected, item.Reference);
        });
        Assert.True(items.Select(i => i.Prompt).Distinct().Count() > 3000, "the items should be varied");
    }

    [Fact]
    public async Task Upload_ValidJsonl_Returns201AndItemsAreServed()
    {
        var name = ApiFixture.UniqueName("ds");
        var response = await fixture.UploadDatasetAsync(name, """
            {"prompt": "2+2=", "reference": "4"}

            {"prompt": "3+5=", "reference": "8", "source": "hand"}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>())!;
        Assert.Equal(2, dataset.ItemCount);
        Assert.Equal(1, dataset.Version);
        Assert.Equal(64, dataset.ContentHash.Length);
        var items = await fixture.VersionItemsAsync(dataset.VersionId);
        Assert.Equal([("2+2=", "4"), ("3+5=", "8")], items.Select(i => (i.Prompt, i.Reference)));
        var metadata = await fixture.WithDbAsync(db => db.DatasetItems.Where(i => i.DatasetVersionId == dataset.VersionId && i.Ordinal == 1).Select(i => i.Metadata).SingleAsync());
        Assert.Equal("hand", JsonDocument.Parse(metadata!).RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Upload_SameNameNewContent_AddsVersionAndSameContentDoesNot()
    {
        var name = ApiFixture.UniqueName("ds");
        var v1 = await (await fixture.UploadDatasetAsync(name, """{"prompt": "a", "reference": "b"}""")).Content.ReadFromJsonAsync<DatasetDto>();
        var v2 = await (await fixture.UploadDatasetAsync(name, """{"prompt": "a", "reference": "c"}""")).Content.ReadFromJsonAsync<DatasetDto>();
        var same = await (await fixture.UploadDatasetAsync(name, """{"prompt": "a", "reference": "c"}""")).Content.ReadFromJsonAsync<DatasetDto>();

        Assert.Equal(v1!.Id, v2!.Id);
        Assert.Equal(2, v2.Version);
        Assert.NotEqual(v1.ContentHash, v2.ContentHash);
        Assert.Equal(v2.VersionId, same!.VersionId);
    }

    [Theory]
    [InlineData("{\"prompt\": \"a\", \"reference\": \"b\"}\n{\"prompt\": \"a\"}\n", "line 2", "\"reference\" is missing")]
    [InlineData("{\"prompt\": \"a\", \"reference\": \"b\"}\nnot json\n", "line 2", "not valid JSON")]
    [InlineData("[1, 2]\n", "line 1", "expected a JSON object")]
    [InlineData("{\"prompt\": 5, \"reference\": \"b\"}\n", "line 1", "\"prompt\" must be a string")]
    [InlineData("", "", "no items")]
    [InlineData("\n  \n", "", "no items")]
    [InlineData("{\"prompt\": \"a\\u0000b\", \"reference\": \"b\"}\n", "line 1", "NUL character")]
    [InlineData("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n{\"prompt\": \"a\", \"chosen\": \"b\"}\n", "line 2", "\"rejected\" is missing")]
    [InlineData("{\"prompt\": \"a\", \"reference\": \"b\"}\n{\"prompt\": \"a\", \"reference\": \"b\", \"chosen\": \"x\"}\n", "line 2", "file is a prompt dataset")]
    public async Task Upload_BadFile_Returns400NamingLineAndStoresNothing(string content, string line, string problem)
        => await fixture.AssertUploadRefusedAsync(content, line, problem);

    [Fact]
    public async Task Upload_PreferencePairs_IsDetectedAsPreferencesAndServedWithBothCompletions()
    {
        var name = ApiFixture.UniqueName("prefs");
        var response = await fixture.UploadDatasetAsync(name, """
            {"prompt": "2+2=", "chosen": "4", "rejected": "5", "source": "human"}
            {"prompt": "3+3=", "chosen": "6", "rejected": "7"}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>())!;
        Assert.Equal(DatasetKind.Preferences, dataset.Kind);
        var items = await fixture.VersionItemsAsync(dataset.VersionId);
        Assert.Equal([("2+2=", "4", "5"), ("3+3=", "6", "7")], items.Select(i => (i.Prompt, i.Chosen!, i.Rejected!)));

        var asPrompts = await fixture.UploadDatasetAsync(name, """{"prompt": "a", "reference": "b"}""");
        Assert.Equal(HttpStatusCode.BadRequest, asPrompts.StatusCode);
        Assert.Contains("cannot be a new version", await asPrompts.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_NoName_Returns400NamingName()
    {
        using var form = new MultipartFormDataContent { { new StringContent("{\"prompt\":\"a\",\"reference\":\"b\"}"), "file", "d.jsonl" } };
        var response = await fixture.Client.PostAsync("/api/datasets", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task CreateRun_DatasetById_IsAccepted()
    {
        var dataset = (await (await fixture.UploadDatasetAsync(ApiFixture.UniqueName("byid"), """{"prompt": "a", "reference": "b"}""")).Content.ReadFromJsonAsync<DatasetDto>())!;
        var request = JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(ApiFixture.UniqueName("r")))!.AsObject();
        request["dataset"] = dataset.Id.ToString();
        var response = await fixture.Client.PostAsync("/api/runs", JsonContent.Create(request));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RlStudio.Contracts.Runs.RunDto>())!;
        Assert.Equal(dataset.Id, run.DatasetId);
        Assert.Equal(dataset.Name, run.DatasetName);
    }
}
