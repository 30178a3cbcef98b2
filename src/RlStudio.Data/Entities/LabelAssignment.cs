namespace RlStudio.Data.Entities;

/// <summary>
/// An item handed to a labeler: at most one per (item, labeler). It counts toward the item's overlap while open (until
/// it expires), labeled, or skipped by that labeler (who is then never shown the item again). <see cref="Swapped"/>: the
/// labeler sees B on the left.
/// </summary>
public sealed class LabelAssignment
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public ComparisonItem? Item { get; set; }
    public long BatchId { get; set; }
    public long LabelerId { get; set; }
    public bool Swapped { get; set; }
    public LabelAssignmentState State { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public enum LabelAssignmentState { Open, Labeled, Skipped }
