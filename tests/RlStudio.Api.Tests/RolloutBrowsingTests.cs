using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>Browsing a run's rollouts step by step: <c>/rollouts/steps</c> and <c>/rollouts?step=</c>.</summary>
[Collection("api")]
public sealed class RolloutBrowsingTests(ApiFixture fixture)
{
    [Fact]
    public async Task Steps_ListEachStepOnce_AndStepFiltersItsSamples()
    {
        var run = await fixture.CreateRunAsync();
        var samples = new[] { (5, 0), (5, 1), (10, 0), (15, 0), (15, 1), (15, 2) }
            .Select(s => new RolloutDto(s.Item1, s.Item2, $"p{s.Item1}.{s.Item2}", "c", null, 0.5, new Dictionary<string, double?>(), null, 1))
            .ToList();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();

        var steps = await fixture.Client.GetFromJsonAsync<List<int>>($"/api/runs/{run.Id}/rollouts/steps");
        var atFifteen = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?step=15");
        var atSeven = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?step=7");

        Assert.Equal(new[] { 5, 10, 15 }, steps);
        Assert.Equal(new[] { "p15.0", "p15.1", "p15.2" }, atFifteen!.Select(s => s.Prompt).Order());
        Assert.Empty(atSeven!);
    }

    [Fact]
    public async Task NegativeStep_Returns400_AndUnknownRun404()
    {
        var run = await fixture.CreateRunAsync();
        var bad = await fixture.Client.GetAsync($"/api/runs/{run.Id}/rollouts?step=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"step\"", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/runs/987654/rollouts/steps")).StatusCode);
    }
}

/// <summary>Finding rollouts: a step range, a reward range and words in the prompt or completion, together.</summary>
[Collection("api")]
public sealed class RolloutSearchTests(ApiFixture fixture)
{
    [Fact]
    public async Task StepRangeRewardRangeAndWords_NarrowTogether_NewestFirst()
    {
        var run = await fixture.CreateRunAsync();
        var samples = Enumerable.Range(1, 40).Select(step => new RolloutDto(step, 0, $"What is {step} plus one?",
            step % 4 == 0 ? $"The answer is {step + 1}, because counting" : $"I refuse to answer step {step}", null, step % 4 == 0 ? 1 : 0,
            new Dictionary<string, double?>(), null, 5)).ToList();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();

        async Task<List<int>> Steps(string query) =>
            (await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?{query}"))!.Select(r => r.Step).ToList();

        Assert.Equal([20, 16, 12], await Steps("fromStep=10&toStep=20&minReward=0.5"));
        Assert.Equal([8, 4], await Steps("q=answer%20because&toStep=9"));
        Assert.Equal([11, 10, 9], await Steps("q=refuse&fromStep=9&toStep=11"));
        Assert.Equal([40, 36], await Steps("q=%22answer%20is%22%20-refuse&limit=2"));
        Assert.Empty(await Steps("q=zebra"));
    }

    [Fact]
    public async Task FunctionFilter_RangeAppliesToThatFunctionsScore_UnscoredLeftOut()
    {
        var run = await fixture.CreateRunAsync();
        // format scores 1 on even steps and 0 on odd ones; exact_match could not score steps 1–3; the combined reward is 0.5 throughout.
        var samples = Enumerable.Range(1, 8).Select(step => new RolloutDto(step, 0, $"p{step}", "c", null, 0.5,
            new Dictionary<string, double?> { ["format"] = step % 2 == 0 ? 1 : 0, ["exact_match"] = step <= 3 ? null : 0.25 }, null, 1)).ToList();
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch(samples))).EnsureSuccessStatusCode();

        async Task<List<int>> Steps(string query) =>
            (await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?{query}"))!.Select(r => r.Step).ToList();

        Assert.Equal([8, 6, 4, 2], await Steps("function=format&minReward=0.9"));
        Assert.Equal([7, 5, 3, 1], await Steps("function=format&maxReward=0.1"));
        Assert.Equal([8, 7, 6, 5, 4], await Steps("function=exact_match"));
        Assert.Equal([6, 4], await Steps("function=format&minReward=1&fromStep=3&toStep=7"));
        Assert.Empty(await Steps("function=length&minReward=0"));
        Assert.Equal(8, (await Steps("minReward=0.5")).Count);
    }

    [Theory]
    [InlineData("function=%20", "function")]
    [InlineData("fromStep=5&toStep=4", "toStep")]
    [InlineData("minReward=1&maxReward=0", "maxReward")]
    [InlineData("fromStep=-1", "fromStep")]
    [InlineData("limit=5000", "limit")]
    public async Task BadFilters_AreRefusedNamingTheParameter(string query, string field)
    {
        var run = await fixture.CreateRunAsync();
        using var response = await fixture.Client.GetAsync($"/api/runs/{run.Id}/rollouts?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LongQuery_IsRefused()
    {
        var run = await fixture.CreateRunAsync();
        using var response = await fixture.Client.GetAsync($"/api/runs/{run.Id}/rollouts?q={new string('a', 201)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"q\"", await response.Content.ReadAsStringAsync());
    }
}
