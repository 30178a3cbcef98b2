using RlStudio.Contracts.Labeling;

namespace RlStudio.Data.Entities;

/// <summary>A labeler's judgement of an item, in the item's order (A/B): at most one per (item, labeler).</summary>
public sealed class PreferenceLabel
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public ComparisonItem? Item { get; set; }
    public long BatchId { get; set; }
    public long LabelerId { get; set; }
    public PreferenceChoice Choice { get; set; }
    /// <summary>Whether the labeler saw B on the left (to study side bias).</summary>
    public bool Swapped { get; set; }
    public string? Rationale { get; set; }
    /// <summary>From handing the item out to the answer.</summary>
    public double Seconds { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
