using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>GET /api/runs</c> paged and sorted on the server: page/pageSize and offset/limit windows with the total in
/// <c>X-Total-Count</c>, every sort field both ways, a metric sort with runs lacking the metric last, the search, and a
/// 400 naming each bad parameter. Each test keeps to its own experiment.
/// </summary>
[Collection("api")]
public sealed class RunsListTests(ApiFixture fixture)
{
    [Fact]
    public async Task MetricKeys_ListsWhatAnyRunReports_InOrder()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("zz/keys_test", 1, 0.5), new MetricPoint("aa/keys_test", 1, 0.25));

        var keys = (await fixture.Client.GetFromJsonAsync<List<string>>("/api/runs/metric-keys"))!;

        Assert.Contains("zz/keys_test", keys);
        Assert.Contains("aa/keys_test", keys);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Distinct(), keys);
    }

    [Fact]
    public async Task Pages_ByNameAndByCreated_CoverEveryRunOnceWithTheTotalInAHeader()
    {
        var experiment = ApiFixture.UniqueName("page");
        var names = new[] { "delta", "alpha", "echo", "charlie", "golf", "bravo", "foxtrot" };
        var ids = new List<long>();
        foreach (var name in names) ids.Add((await CreateAsync(experiment, name)).Id);

        var pages = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var (runs, total) = await ListAsync($"experiment={experiment}&sort=name&pageSize=3&page={page}");
            Assert.Equal(7, total);
            Assert.Equal(page < 3 ? 3 : 1, runs.Count);
            pages.AddRange(runs.Select(r => r.Name));
        }
        Assert.Equal(names.Order(StringComparer.Ordinal), pages);

        var (descending, _) = await ListAsync($"experiment={experiment}&sort=name&order=desc&limit=2&offset=1");
        Assert.Equal(["foxtrot", "echo"], descending.Select(r => r.Name));

        // No sort: newest first, as the list always was; the old limit still cuts it.
        var (newest, newestTotal) = await ListAsync($"experiment={experiment}&limit=4");
        Assert.Equal(Enumerable.Reverse(ids).Take(4), newest.Select(r => r.Id));
        Assert.Equal(7, newestTotal);
        var (oldest, _) = await ListAsync($"experiment={experiment}&sort=created&order=asc&page=1&pageSize=2");
        Assert.Equal(ids.Take(2), oldest.Select(r => r.Id));

        var (beyond, beyondTotal) = await ListAsync($"experiment={experiment}&page=5&pageSize=3");
        Assert.Empty(beyond);
        Assert.Equal(7, beyondTotal);
    }

    [Fact]
    public async Task SortByMetric_OrdersByLatestValue_RunsWithoutItLastBothWays()
    {
        var experiment = ApiFixture.UniqueName("metric");
        var values = new double?[] { 0.3, null, 0.9, -0.5, 0.6, null };
        var runs = new List<(long Id, double? Value)>();
        foreach (var value in values)
        {
            var run = await CreateAsync(experiment, ApiFixture.UniqueName("m"));
            if (value is { } v)
            {
                // An older, higher value first: the sort reads the latest one.
                await fixture.PostMetricsAsync(run.Id, new MetricPoint("reward/mean", 1, 5.0), new MetricPoint("reward/mean", 2, v));
            }
            else
            {
                await fixture.PostMetricsAsync(run.Id, new MetricPoint("policy/kl", 1, 0.1));
            }
            runs.Add((run.Id, value));
        }
        var without = runs.Where(r => r.Value is null).Select(r => r.Id).ToList();

        var (best, total) = await ListAsync($"experiment={experiment}&sort=metric:reward/mean");
        Assert.Equal(6, total);
        Assert.Equal(runs.Where(r => r.Value is not null).OrderByDescending(r => r.Value).Select(r => r.Id), best.Take(4).Select(r => r.Id));
        Assert.Equal(without.OrderDescending(), best.Skip(4).Select(r => r.Id));
        Assert.Equal(0.9, best[0].LatestMetrics["reward/mean"]);

        var (worst, _) = await ListAsync($"experiment={experiment}&sort=metric:reward/mean&order=asc");
        Assert.Equal(runs.Where(r => r.Value is not null).OrderBy(r => r.Value).Select(r => r.Id), worst.Take(4).Select(r => r.Id));
        Assert.Equal(without.Order(), worst.Skip(4).Select(r => r.Id));

        // Paging through a metric order: the second page goes on where the first stopped.
        var (second, _) = await ListAsync($"experiment={experiment}&sort=metric:reward/mean&page=2&pageSize=3");
        Assert.Equal(best.Skip(3).Take(3).Select(r => r.Id), second.Select(r => r.Id));
    }

    [Fact]
    public async Task SortByStepStatusAlgorithm_AndSearchByNameOrTag()
    {
        var experiment = ApiFixture.UniqueName("fields");
        var a = await CreateAsync(experiment, "search-50%-off", tags: ["keep"]);
        var b = await CreateAsync(experiment, "plain-50-one", tags: ["x_y"]);
        var c = await CreateAsync(experiment, "plain-xzy");
        await fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, 7)));
        await fixture.WithDbAsync(db => db.Runs.Where(r => r.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, 3)));
        await fixture.Client.PostAsync($"/api/runs/{c.Id}/cancel", null);

        var (bySteps, _) = await ListAsync($"experiment={experiment}&sort=step");
        Assert.Equal([a.Id, b.Id, c.Id], bySteps.Select(r => r.Id));
        var (byStatus, _) = await ListAsync($"experiment={experiment}&sort=status");
        Assert.Equal(c.Id, byStatus[0].Id); // "Cancelled" before "Queued"
        var (byAlgorithm, _) = await ListAsync($"experiment={experiment}&sort=algorithm&order=desc");
        Assert.Equal(3, byAlgorithm.Count);

        // LIKE's wildcards match themselves only: "50%" is not "50", "x_y" is not "xzy".
        var (percent, percentTotal) = await ListAsync($"experiment={experiment}&q=50%25");
        Assert.Equal([a.Id], percent.Select(r => r.Id));
        Assert.Equal(1, percentTotal);
        var (underscore, _) = await ListAsync($"experiment={experiment}&q=x_y");
        Assert.Equal([b.Id], underscore.Select(r => r.Id));
        var (byTagWord, _) = await ListAsync($"experiment={experiment}&q=KEE");
        Assert.Equal([a.Id], byTagWord.Select(r => r.Id));
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "sort=size", "sort" },
        { "sort=metric:", "sort" },
        { "order=up", "order" },
        { "page=0", "page" },
        { "page=x", "page" },
        { "pageSize=1001", "pageSize" },
        { "limit=abc", "limit" },
        { "limit=0", "limit" },
        { "offset=-1", "offset" },
        { "page=2&offset=10", "page" },
        { "limit=10&pageSize=10", "pageSize" },
        { "page=2147483647&pageSize=1000", "page" },
        { "status=Sleeping", "status" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadParameter_Returns400NamingIt(string query, string field)
    {
        var response = await fixture.Client.GetAsync($"/api/runs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    }

    private async Task<RunDto> CreateAsync(string experiment, string name, string[]? tags = null)
    {
        var request = JsonSerializer.SerializeToNode(ApiFixture.ValidRunRequest(name, experiment: experiment))!.AsObject();
        if (tags is not null) request["tags"] = JsonSerializer.SerializeToNode(tags);
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private async Task<(List<RunDto> Runs, int Total)> ListAsync(string query)
    {
        var response = await fixture.Client.GetAsync($"/api/runs?{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var total = int.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        return ((await response.Content.ReadFromJsonAsync<List<RunDto>>())!, total);
    }
}
