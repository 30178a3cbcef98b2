namespace RlStudio.Data.Entities;

/// <summary>A named group of runs (created on demand by the first run that names it).</summary>
public sealed class Experiment
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<Run> Runs { get; set; } = [];
}
