namespace RlStudio.Contracts.Metrics;

/// <summary>One value of one metric at one optimizer step. (run, key, step) is unique.</summary>
public sealed record MetricPoint(string Key, int Step, double Value)
{
    /// <summary>Longest metric key stored.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The metric dashboards show first and rank runs by.</summary>
    public const string RewardMean = "reward/mean";
}

/// <summary>A point of a series (the key is the series').</summary>
public sealed record SeriesPoint(int Step, double Value);

/// <summary>A metric's history, in step order, possibly downsampled.</summary>
public sealed record MetricSeries(string Key, IReadOnlyList<SeriesPoint> Points);

/// <summary>Body of <c>GET /api/runs/{id}/metrics</c>.</summary>
public sealed record MetricsResponse(IReadOnlyList<MetricSeries> Series);
