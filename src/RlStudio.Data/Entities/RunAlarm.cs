namespace RlStudio.Data.Entities;

/// <summary>An alarm raised for a run (table <c>run_alarms</c>; one per run and kind, the first time it was seen).</summary>
public sealed class RunAlarm
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Kind { get; set; }
    public int Step { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
}
