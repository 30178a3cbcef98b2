using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>A run's notes and tags: set when it is created, edited with <c>PATCH /api/runs/{id}</c>, filtered by.</summary>
[Collection("api")]
public sealed class RunLabelsTests(ApiFixture fixture)
{
    [Fact]
    public async Task Create_WithNotesAndTags_StoresThemTrimmedAndOnce()
    {
        var run = await CreateAsync(notes: "  first try with β=0.04  ", tags: ["baseline", " kl:0.04 ", "baseline"]);

        Assert.Equal("first try with β=0.04", run.Notes);
        Assert.Equal(new[] { "baseline", "kl:0.04" }, run.Tags);
        Assert.Equal(run.Tags, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Tags);
    }

    [Fact]
    public async Task Patch_ChangesOnlyWhatItNames()
    {
        var run = await CreateAsync(notes: "keep me", tags: ["a"]);

        var renamed = await PatchAsync(run.Id, new UpdateRunRequest(Name: "  renamed  "));
        Assert.Equal(("renamed", "keep me", "a"), (renamed.Name, renamed.Notes, string.Join(",", renamed.Tags!)));

        var retagged = await PatchAsync(run.Id, new UpdateRunRequest(Tags: ["b", "c"]));
        Assert.Equal(("renamed", "keep me", "b,c"), (retagged.Name, retagged.Notes, string.Join(",", retagged.Tags!)));

        var cleared = await PatchAsync(run.Id, new UpdateRunRequest(Notes: "", Tags: []));
        Assert.Equal(("renamed", (string?)null, 0), (cleared.Name, cleared.Notes, cleared.Tags!.Count));
    }

    [Fact]
    public async Task Patch_Invalid_Returns400NamingEachFieldAndChangesNothing()
    {
        var run = await CreateAsync(notes: "n", tags: ["ok"]);

        var response = await fixture.Client.PatchAsJsonAsync($"/api/runs/{run.Id}",
            new UpdateRunRequest(Name: " ", Notes: new string('x', 10_001), Tags: ["fine", "no spaces", ""]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.All(new[] { "\"name\"", "\"notes\"", "\"tags[1]\"", "\"tags[2]\"" }, field => Assert.Contains(field, body));
        var stored = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!;
        Assert.Equal((run.Name, "n", "ok"), (stored.Name, stored.Notes, string.Join(",", stored.Tags!)));
    }

    [Fact]
    public async Task Create_WithTooManyTags_Returns400()
    {
        var request = Request(ApiFixture.UniqueName("tags"), null, Enumerable.Range(0, 21).Select(i => $"t{i}").ToArray());
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 20 tags", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_ByTag_ReturnsOnlyTaggedRuns()
    {
        var tag = "sweep-" + Guid.NewGuid().ToString("N")[..8];
        var tagged = await CreateAsync(notes: null, tags: [tag]);
        await CreateAsync(notes: null, tags: ["other"]);

        var runs = await fixture.Client.GetFromJsonAsync<List<RunDto>>($"/api/runs?tag={tag}");

        Assert.Equal(new[] { tagged.Id }, runs!.Select(r => r.Id));
    }

    [Fact]
    public async Task Patch_UnknownRun_Returns404()
    {
        var response = await fixture.Client.PatchAsJsonAsync("/api/runs/987654", new UpdateRunRequest(Name: "x"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<RunDto> CreateAsync(string? notes, string[] tags)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", Request(ApiFixture.UniqueName("labels"), notes, tags));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private static object Request(string name, string? notes, string[] tags) => new
    {
        name,
        experiment = "tests",
        algorithm = "grpo",
        dataset = "addition-3digit",
        @base = new { preset = "tiny" },
        rewards = new[] { new { type = "exact_match", weight = 1.0 } },
        settings = new { steps = 10, batchSize = 16, groupSize = 4 },
        notes,
        tags,
    };

    private async Task<RunDto> PatchAsync(long id, UpdateRunRequest request)
    {
        var response = await fixture.Client.PatchAsJsonAsync($"/api/runs/{id}", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }
}
