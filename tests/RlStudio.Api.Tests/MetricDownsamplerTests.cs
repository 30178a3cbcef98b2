using RlStudio.Contracts.Metrics;
using RlStudio.Data.Queries;

namespace RlStudio.Api.Tests;

public sealed class MetricDownsamplerTests
{
    private static List<SeriesPoint> Series(int count) => Enumerable.Range(0, count).Select(i => new SeriesPoint(i * 2, Math.Cos(i))).ToList();

    [Theory]
    [InlineData(10, 100)]
    [InlineData(1000, 1)]
    [InlineData(1000, 2)]
    [InlineData(1000, 3)]
    [InlineData(1000, 10)]
    [InlineData(1000, 99)]
    [InlineData(5, 5)]
    public void Downsample_AnyLength_AtMostNInStepOrderWithLastStep(int count, int maxPoints)
    {
        var points = Series(count);
        var result = MetricDownsampler.Downsample(points, maxPoints, points[0].Step, points[^1].Step);

        Assert.InRange(result.Count, 1, Math.Min(count, maxPoints));
        Assert.Equal(points[^1], result[^1]);
        Assert.Equal(result.Select(p => p.Step).Order(), result.Select(p => p.Step));
        Assert.Equal(result.Count, result.Select(p => p.Step).Distinct().Count());
    }

    [Fact]
    public void Downsample_Spike_IsKept()
    {
        var points = Enumerable.Range(0, 10_000).Select(i => new SeriesPoint(i, i == 4321 ? -50 : 0)).ToList();
        var result = MetricDownsampler.Downsample(points, 30, 0, 9_999);
        Assert.Contains(new SeriesPoint(4321, -50), result);
    }

    [Fact]
    public void Downsample_SharedBoundaries_ShortSeriesKeepsItsLastPoint()
    {
        var points = Enumerable.Range(0, 500).Select(i => new SeriesPoint(i, i)).ToList();
        var result = MetricDownsampler.Downsample(points, 30, 0, 2_000);
        Assert.Equal(499, result[^1].Step);
        Assert.True(result.Count <= 30);
    }
}
