namespace RlStudio.Data.Entities;

/// <summary>A named group of runs (created on demand by the first run that names it).</summary>
public sealed class Experiment
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was deleted through the MLflow API (MLflow's lifecycle stage "deleted"); null while active.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Its MLflow tags (key → value).</summary>
    public Dictionary<string, string> Tags { get; set; } = [];
    public List<Run> Runs { get; set; } = [];
}
