namespace RlStudio.Data.Entities;

/// <summary>One value of one metric at one step of a run (table <c>metric_points</c>; key run+key+step).</summary>
public sealed class MetricRecord
{
    public long RunId { get; set; }
    public required string Key { get; set; }
    public int Step { get; set; }
    public double Value { get; set; }
    public DateTimeOffset Time { get; set; }
}
