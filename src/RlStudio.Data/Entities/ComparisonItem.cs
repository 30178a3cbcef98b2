namespace RlStudio.Data.Entities;

/// <summary>One prompt with two responses, A and B (labels are stored in this order, whatever sides a labeler saw).</summary>
public sealed class ComparisonItem
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public ComparisonBatch? Batch { get; set; }
    /// <summary>0, 1, … in the batch.</summary>
    public int Ordinal { get; set; }
    public required string Prompt { get; set; }
    public required string ResponseA { get; set; }
    public required string ResponseB { get; set; }
    /// <summary>The dataset's reference answer, when the prompt had one (never shown to labelers).</summary>
    public string? Reference { get; set; }
}
