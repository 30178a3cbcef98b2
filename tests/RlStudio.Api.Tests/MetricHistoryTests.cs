using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;

namespace RlStudio.Api.Tests;

/// <summary>
/// Metric histories for charts, downsampled in SQL from the bucket summaries kept at ingest: exact min, max and last per
/// bucket, the same buckets across compared runs, full detail when zoomed in, and the full history in pages.
/// </summary>
[Collection("api")]
public sealed class MetricHistoryTests(ApiFixture fixture)
{
    private static double Value(int step) => Math.Sin(step / 37.0) * 10 + (step % 997 == 0 ? 50 : 0);

    [Fact]
    public async Task LongHistory_BucketsCarryTheExactMinMaxAndLastOfTheirSteps()
    {
        const int steps = 20_000;
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, [.. Enumerable.Range(0, steps).Select(s => new MetricPoint("loss/policy", s, Value(s)))]);

        var series = Assert.Single((await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=loss/policy&maxPoints=100"))!.Series);

        // 20 000 steps in ≤ 100 buckets: 200 steps each, starting at step 0 (from the 100-step summaries).
        Assert.Equal(100, series.Points.Count);
        for (var b = 0; b < 100; b++)
        {
            var stepsOfBucket = Enumerable.Range(b * 200, 200).ToList();
            var point = series.Points[b];
            Assert.Equal(stepsOfBucket[^1], point.Step);
            Assert.Equal(Value(point.Step), point.Value);
            Assert.Equal(stepsOfBucket.Min(Value), point.Min);
            Assert.Equal(stepsOfBucket.Max(Value), point.Max);
        }
        Assert.Equal(steps - 1, series.Points[^1].Step);   // the last step is always there
    }

    [Fact]
    public async Task MorePointsThanARequestMayCarry_AreRefusedAndNothingIsStored()
    {
        var run = await fixture.CreateRunAsync();   // the fixture allows 30 000 points a request
        var points = Enumerable.Range(0, 30_001).Select(s => new MetricPoint("loss/policy", s, s)).ToArray();
        using var response = await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/metrics", new MetricBatch(points));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 30000 points", await response.Content.ReadAsStringAsync());
        Assert.Empty((await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics"))!.Series);
    }

    [Fact]
    public async Task WritingThePointsAgain_ChangesNoBucket()
    {
        var run = await fixture.CreateRunAsync();
        var points = Enumerable.Range(0, 5000).Select(s => new MetricPoint("reward/mean", s, Value(s))).ToArray();
        await fixture.PostMetricsAsync(run.Id, points);
        var once = await fixture.Client.GetStringAsync($"/api/runs/{run.Id}/metrics?maxPoints=50");
        await fixture.PostMetricsAsync(run.Id, points);
        Assert.Equal(once, await fixture.Client.GetStringAsync($"/api/runs/{run.Id}/metrics?maxPoints=50"));
    }

    [Fact]
    public async Task Zoom_AStepRangeNoLongerThanMaxPoints_ComesBackPointByPoint()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, [.. Enumerable.Range(0, 10_000).Select(s => new MetricPoint("reward/mean", s, Value(s)))]);

        var zoomed = Assert.Single((await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?from=5000&to=5299&maxPoints=1000"))!.Series);

        Assert.Equal(Enumerable.Range(5000, 300), zoomed.Points.Select(p => p.Step));
        Assert.All(zoomed.Points, p => Assert.Equal(new SeriesPoint(p.Step, Value(p.Step)), p));
    }

    [Fact]
    public async Task ComparedRuns_ShareTheirStepBuckets()
    {
        var longer = await fixture.CreateRunAsync();
        var shorter = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(longer.Id, [.. Enumerable.Range(0, 10_000).Select(s => new MetricPoint("reward/mean", s, Value(s)))]);
        await fixture.PostMetricsAsync(shorter.Id, [.. Enumerable.Range(0, 4_000).Select(s => new MetricPoint("reward/mean", s, -Value(s)))]);

        var compared = (await fixture.Client.GetFromJsonAsync<RunsMetricsResponse>($"/api/runs/metrics?ids={longer.Id},{shorter.Id}&keys=reward/mean&maxPoints=50"))!;

        Assert.Equal([longer.Id, shorter.Id], compared.Runs.Select(r => r.RunId));
        var a = Assert.Single(compared.Runs[0].Series).Points;
        var b = Assert.Single(compared.Runs[1].Series).Points;
        Assert.Equal(50, a.Count);     // 200 steps a bucket across both runs
        Assert.Equal(20, b.Count);
        Assert.Equal(a.Take(20).Select(p => p.Step), b.Select(p => p.Step));
        Assert.Equal(3999, b[^1].Step);
    }

    [Fact]
    public async Task Compare_BadOrUnknownIds_AreRefused()
    {
        using var bad = await fixture.Client.GetAsync("/api/runs/metrics?ids=1,x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ids", await bad.Content.ReadAsStringAsync());
        using var none = await fixture.Client.GetAsync("/api/runs/metrics");
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        using var unknown = await fixture.Client.GetAsync("/api/runs/metrics?ids=987654321");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var run = await fixture.CreateRunAsync();
        using var backwards = await fixture.Client.GetAsync($"/api/runs/{run.Id}/metrics?from=10&to=5");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("to", await backwards.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FullHistory_IsReadInPages()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, [.. Enumerable.Range(1, 2500).Select(s => new MetricPoint("loss/sft", s, s))]);

        var steps = new List<int>();
        int? after = null;
        var pages = 0;
        do
        {
            var page = (await fixture.Client.GetFromJsonAsync<MetricHistoryPage>(
                $"/api/runs/{run.Id}/metrics/history?key=loss/sft&limit=1000" + (after is { } a ? $"&afterStep={a}" : "")))!;
            steps.AddRange(page.Points.Select(p => p.Step));
            after = page.NextAfterStep;
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 2500), steps);
    }
}

/// <summary>The group-commit writer: a request that cannot be stored fails alone, the others of its batch are stored.</summary>
[Collection("api")]
public sealed class MetricWriterTests(ApiFixture fixture)
{
    [Fact]
    public async Task ABadRequestInABatch_FailsAlone()
    {
        var run = await fixture.CreateRunAsync();
        var writer = fixture.Factory.Services.GetRequiredService<RlStudio.Data.Storage.MetricWriter>();
        var writes = Enumerable.Range(0, 20).Select(i => writer.WriteAsync(i == 7 ? 987_654_321 : run.Id,
            [new MetricPoint("loss/sft", i, i)], CancellationToken.None)).ToList();

        var failure = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => writes[7]);
        Assert.Equal("23503", failure.SqlState);   // no such run
        foreach (var write in writes.Where((_, i) => i != 7)) Assert.Single(await write);
        var series = Assert.Single((await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=loss/sft"))!.Series);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i != 7), series.Points.Select(p => p.Step));
    }
}
