namespace RlStudio.Contracts.Metrics;

/// <summary>One value of one metric at one optimizer step. (run, key, step) is unique.</summary>
public sealed record MetricPoint(string Key, int Step, double Value)
{
    /// <summary>Longest metric key stored.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The metric dashboards show first and rank runs by.</summary>
    public const string RewardMean = "reward/mean";

    /// <summary>An agentic run's task success: the share of a step's episodes that succeeded, and each episode's rollout score (1 or 0).</summary>
    public const string EnvSuccess = "env/success";
}

/// <summary>
/// A point of a series (the key is the series'). In a downsampled series each point stands for a bucket of steps: it is
/// the bucket's last point, and <see cref="Min"/> / <see cref="Max"/> give the bucket's range (null for a single point).
/// </summary>
public sealed record SeriesPoint(int Step, double Value, double? Min = null, double? Max = null);

/// <summary>A metric's history, in step order, possibly downsampled.</summary>
public sealed record MetricSeries(string Key, IReadOnlyList<SeriesPoint> Points);

/// <summary>Body of <c>GET /api/runs/{id}/metrics</c>.</summary>
public sealed record MetricsResponse(IReadOnlyList<MetricSeries> Series);

/// <summary>One run's series in <see cref="RunsMetricsResponse"/>.</summary>
public sealed record RunMetrics(long RunId, IReadOnlyList<MetricSeries> Series);

/// <summary>Body of <c>GET /api/runs/metrics?ids=…</c>: several runs' series on the same step buckets (to compare them).</summary>
public sealed record RunsMetricsResponse(IReadOnlyList<RunMetrics> Runs);

/// <summary>Body of <c>GET /api/runs/{id}/metrics/history?key=…</c>: a page of a metric's full history; the next page starts after <see cref="NextAfterStep"/> (null: none).</summary>
public sealed record MetricHistoryPage(string Key, IReadOnlyList<SeriesPoint> Points, int? NextAfterStep);
