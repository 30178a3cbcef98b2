namespace RlStudio.Data.Entities;

/// <summary>The value of a run's metric at its highest step so far (key run+key).</summary>
public sealed class LatestMetric
{
    public long RunId { get; set; }
    public required string Key { get; set; }
    public int Step { get; set; }
    public double Value { get; set; }
}
