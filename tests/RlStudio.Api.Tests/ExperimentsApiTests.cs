using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Experiments;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary><c>GET /api/experiments</c>: each experiment's run counts, best reward and last activity.</summary>
[Collection("api")]
public sealed class ExperimentsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task List_CountsRunsByState_AndTakesTheBestLatestReward()
    {
        var experiment = ApiFixture.UniqueName("exp");
        var runs = new List<RunDto>();
        for (var i = 0; i < 4; i++)
        {
            var response = await fixture.Client.PostAsJsonAsync("/api/runs", ApiFixture.ValidRunRequest(ApiFixture.UniqueName("r"), experiment: experiment));
            runs.Add((await response.Content.ReadFromJsonAsync<RunDto>())!);
        }
        await fixture.SetRunStatusAsync(runs[0].Id, RunStatus.Succeeded);
        await fixture.SetRunStatusAsync(runs[1].Id, RunStatus.Failed);
        await fixture.SetRunStatusAsync(runs[2].Id, RunStatus.Running);
        await fixture.PostMetricsAsync(runs[0].Id, new MetricPoint("reward/mean", 1, 0.2), new MetricPoint("reward/mean", 2, 0.6));
        await fixture.PostMetricsAsync(runs[1].Id, new MetricPoint("reward/mean", 1, 0.9), new MetricPoint("reward/mean", 2, 0.4));

        var listed = await fixture.Client.GetFromJsonAsync<List<ExperimentDto>>("/api/experiments");

        var row = Assert.Single(listed!, e => e.Name == experiment);
        Assert.Equal((4, 2, 1, 1, 0.6), (row.Runs, row.Active, row.Succeeded, row.Failed, row.BestReward!.Value));
        Assert.Equal(runs.Max(r => r.CreatedAt).ToUnixTimeMilliseconds(), row.LastRunAt!.Value.ToUnixTimeMilliseconds());
    }
}
