namespace RlStudio.Data.Entities;

/// <summary>
/// A metric's summary over the steps [<see cref="StartStep"/>, <see cref="StartStep"/> + <see cref="Width"/>) of a run,
/// kept up to date as points arrive (one row per width of <c>MetricBuckets.Widths</c>), so a long history is downsampled
/// by reading a thousand of these instead of a million points.
/// </summary>
public sealed class MetricBucket
{
    public long RunId { get; set; }
    public required string Key { get; set; }
    public int Width { get; set; }
    public int StartStep { get; set; }
    public double MinValue { get; set; }
    public double MaxValue { get; set; }
    /// <summary>The highest step in the bucket, and its value.</summary>
    public int LastStep { get; set; }
    public double LastValue { get; set; }
}
