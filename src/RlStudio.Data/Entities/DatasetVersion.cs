using RlStudio.Contracts.Datasets;

namespace RlStudio.Data.Entities;

/// <summary>An immutable snapshot of a dataset's items, identified by the SHA-256 of its content.</summary>
public sealed class DatasetVersion
{
    public long Id { get; set; }
    public long DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    /// <summary>1, 2, … per dataset.</summary>
    public int Version { get; set; }
    public int ItemCount { get; set; }
    /// <summary>Prompts with references, or preference pairs; one kind per version.</summary>
    public DatasetKind Kind { get; set; }
    /// <summary>Lowercase hex SHA-256 of the items (see <c>DatasetContentHash</c>).</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The comparison batch whose labels this version was exported from (its lineage), if any.</summary>
    public long? SourceBatchId { get; set; }
    public List<DatasetItem> Items { get; set; } = [];
}
