using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;
using RlStudio.Web.Runs;

namespace RlStudio.Api.Tests;

/// <summary><c>GET /api/runs/{id}/metrics.csv</c>: every point, one row per step, one column per metric.</summary>
[Collection("api")]
public sealed class MetricsCsvTests(ApiFixture fixture)
{
    private static readonly JsonSerializerOptions NamedFloats = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public async Task Csv_HasAColumnPerMetric_AndARowPerStep_WithEmptyCellsWhereAMetricHasNoValue()
    {
        var run = await fixture.CreateRunAsync();
        MetricPoint[] points =
        [
            new("reward/mean", 1, 0.25), new("loss/policy", 1, -1.5),
            new("reward/mean", 2, 0.5),
            new("eval/accuracy", 3, double.NaN), new("reward/mean", 3, 1e-7),
        ];
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/metrics", new MetricBatch(points), NamedFloats)).EnsureSuccessStatusCode();

        var response = await fixture.Client.GetAsync($"/api/runs/{run.Id}/metrics.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run{run.Id}-metrics.csv", response.Content.Headers.ContentDisposition?.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'));
        Assert.Equal(new[]
        {
            "step,eval/accuracy,loss/policy,reward/mean",
            "1,,-1.5,0.25",
            "2,,,0.5",
            "3,NaN,,1E-07",
        }, lines);
    }

    [Fact]
    public async Task Csv_OfChosenKeys_KeepsTheirOrder()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.PostMetricsAsync(run.Id, new MetricPoint("a", 1, 1), new MetricPoint("b", 1, 2), new MetricPoint("c", 2, 3));

        var csv = await fixture.Client.GetStringAsync($"/api/runs/{run.Id}/metrics.csv?keys=c,a");

        Assert.Equal("step,c,a\n1,,1\n2,3,\n", csv.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Csv_UnknownRun_Returns404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/runs/987654/metrics.csv")).StatusCode);
    }

    [Theory]
    [InlineData("reward/mean", "reward/mean")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    public void Escape_QuotesOnlyWhatNeedsIt(string field, string expected) => Assert.Equal(expected, MetricsCsvWriter.Escape(field));
}
