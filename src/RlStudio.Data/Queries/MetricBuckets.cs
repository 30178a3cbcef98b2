namespace RlStudio.Data.Queries;

/// <summary>The bucket widths (in steps) every metric point is summarised at as it is written (<c>metric_buckets</c>).</summary>
public static class MetricBuckets
{
    /// <summary>
    /// Powers of a hundred (two levels keep ingest cheap): a history of up to 10⁶·N steps is downsampled to N buckets by
    /// reading at most 100·N summaries.
    /// </summary>
    public static readonly int[] Widths = [100, 10_000];

    /// <summary>The widest summary that fits <paramref name="stepsPerBucket"/> whole times (1: none, read the points).</summary>
    public static int WidestWithin(long stepsPerBucket) => Widths.LastOrDefault(w => w <= stepsPerBucket, 1);
}
