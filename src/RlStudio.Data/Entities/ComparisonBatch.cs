using RlStudio.Contracts.Labeling;

namespace RlStudio.Data.Entities;

/// <summary>
/// Pairs of responses for labelers to compare: sampled by a worker from a dataset's prompts and one or two sources, or
/// imported. Each item wants <see cref="Overlap"/> labels from different labelers.
/// </summary>
public sealed class ComparisonBatch
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public ComparisonBatchStatus Status { get; set; }
    public string? Error { get; set; }
    /// <summary>The dataset the prompts come from (null for an imported batch).</summary>
    public long? DatasetId { get; set; }
    public long? DatasetVersionId { get; set; }
    public List<ComparisonSource> Sources { get; set; } = [];
    public int Overlap { get; set; }
    public string? Guidelines { get; set; }
    /// <summary>The labelers allowed (account ids); null: every Labeler, Researcher and Admin.</summary>
    public List<long>? LabelerIds { get; set; }
    public bool AllowTies { get; set; }
    public bool AllowBothBad { get; set; }
    /// <summary>Labelers whose labels the export and statistics leave out.</summary>
    public List<long> ExcludedLabelerIds { get; set; } = [];
    public int TargetItems { get; set; }
    public double Temperature { get; set; }
    public double TopP { get; set; }
    public int MaxNewTokens { get; set; }
    public long Seed { get; set; }
    public required string Queue { get; set; }
    public string? JobId { get; set; }
    /// <summary>The worker node sampling it.</summary>
    public string? Worker { get; set; }
    public long? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<ComparisonItem> Items { get; set; } = [];
}
