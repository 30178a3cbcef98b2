namespace RlStudio.Data.Entities;

/// <summary>A named dataset; its content lives in immutable <see cref="DatasetVersion"/>s.</summary>
public sealed class Dataset
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<DatasetVersion> Versions { get; set; } = [];
}
