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
