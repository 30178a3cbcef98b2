using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>POST /api/runs/bulk</c>: each run as its single-run endpoint would do it, the refused ones named with the reason
/// (a finished run, another account's run, a missing run), and a 400 naming each bad field with nothing changed.
/// </summary>
[Collection("api")]
public sealed class RunBulkTests(ApiFixture fixture)
{
    [Fact]
    public async Task Cancel_QueuedRunsCancelled_FinishedAndMissingSkippedWithReasons()
    {
        var queued = new[] { await fixture.CreateRunAsync(), await fixture.CreateRunAsync(), await fixture.CreateRunAsync() };
        var finished = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(finished.Id, RunStatus.Succeeded);
        const long missing = 987_654_321;

        var result = await BulkAsync(fixture.Client, new BulkRunRequest("cancel", [.. queued.Select(r => r.Id), finished.Id, missing]));

        Assert.Equal("cancel", result.Action);
        Assert.Equal(queued.Select(r => r.Id), result.Done);
        Assert.Equal([finished.Id, missing], result.Skipped.Select(s => s.RunId));
        Assert.Contains("finished run cannot be cancelled", result.Skipped[0].Reason);
        Assert.Contains("does not exist", result.Skipped[1].Reason);
        foreach (var run in queued)
            Assert.Equal(RunStatus.Cancelled, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Status);
        Assert.Equal(RunStatus.Succeeded, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{finished.Id}"))!.Status);
    }

    [Fact]
    public async Task Tag_AddsTheTagKeepingOthers_RunsThatHaveItSkipped()
    {
        var plain = await fixture.CreateRunAsync();
        var tagged = await fixture.CreateRunAsync();
        (await fixture.Client.PatchAsJsonAsync($"/api/runs/{tagged.Id}", new UpdateRunRequest(Tags: ["old", "sweep-1"]))).EnsureSuccessStatusCode();
        (await fixture.Client.PatchAsJsonAsync($"/api/runs/{plain.Id}", new UpdateRunRequest(Tags: ["old"]))).EnsureSuccessStatusCode();

        var result = await BulkAsync(fixture.Client, new BulkRunRequest("tag", [plain.Id, tagged.Id], " sweep-1 "));

        Assert.Equal([plain.Id], result.Done);
        Assert.Equal(tagged.Id, Assert.Single(result.Skipped).RunId);
        Assert.Contains("already tagged 'sweep-1'", result.Skipped[0].Reason);
        Assert.Equal(["old", "sweep-1"], (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{plain.Id}"))!.Tags);
        var listed = await fixture.Client.GetFromJsonAsync<List<RunDto>>("/api/runs?tag=sweep-1");
        Assert.Contains(listed!, r => r.Id == plain.Id);
    }

    [Fact]
    public async Task Delete_OnlyTheOwnersFinishedRuns_OthersSkippedWithTheSingleRunReason()
    {
        var (_, owner) = await fixture.AccountAsync("Researcher");
        var (_, stranger) = await fixture.AccountAsync("Researcher");
        var done = await CreateAsAsync(owner);
        var mine = await CreateAsAsync(owner);
        var running = await CreateAsAsync(owner);
        await fixture.SetRunStatusAsync(done.Id, RunStatus.Succeeded);
        await fixture.SetRunStatusAsync(mine.Id, RunStatus.Failed);

        var refused = await BulkAsync(stranger, new BulkRunRequest("delete", [done.Id]));
        Assert.Empty(refused.Done);
        Assert.Contains("Only the account that queued", Assert.Single(refused.Skipped).Reason);

        var result = await BulkAsync(owner, new BulkRunRequest("delete", [done.Id, mine.Id, running.Id]));

        Assert.Equal([done.Id, mine.Id], result.Done);
        Assert.Equal(running.Id, Assert.Single(result.Skipped).RunId);
        Assert.Contains("cancel it first", result.Skipped[0].Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/runs/{done.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/runs/{running.Id}")).StatusCode);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"ids": [1]}""", "action" },
        { """{"action": "pause", "ids": [1]}""", "action" },
        { """{"action": "cancel"}""", "ids" },
        { """{"action": "cancel", "ids": []}""", "ids" },
        { """{"action": "cancel", "ids": [0]}""", "ids" },
        { """{"action": "tag", "ids": [1]}""", "tag" },
        { """{"action": "tag", "ids": [1], "tag": "not ok"}""", "tag" },
        { """{"action": "cancel", "ids": [1], "tag": "x"}""", "tag" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_Returns400NamingTheField(string body, string field)
    {
        var response = await fixture.Client.PostAsync("/api/runs/bulk", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    }

    [Fact]
    public async Task TooManyIds_Returns400()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs/bulk", new BulkRunRequest("cancel", [.. Enumerable.Range(1, 1001).Select(i => (long)i)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<BulkRunResult> BulkAsync(HttpClient client, BulkRunRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/runs/bulk", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BulkRunResult>())!;
    }

    private static async Task<RunDto> CreateAsAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/runs", ApiFixture.ValidRunRequest(ApiFixture.UniqueName("bulk")));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }
}
