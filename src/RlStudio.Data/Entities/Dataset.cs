namespace RlStudio.Data.Entities;

/// <summary>A named dataset; its content lives in immutable <see cref="DatasetVersion"/>s.</summary>
public sealed class Dataset
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The account that uploaded it (null for the seeded demo or a deleted account); it or an Admin may delete it.</summary>
    public long? CreatedById { get; set; }
    public List<DatasetVersion> Versions { get; set; } = [];
}
