namespace RlStudio.Data.Entities;

/// <summary>One example of a dataset version; <see cref="Ordinal"/> keeps file order.</summary>
public sealed class DatasetItem
{
    public long Id { get; set; }
    public long DatasetVersionId { get; set; }
    public int Ordinal { get; set; }
    public required string Prompt { get; set; }
    public required string Reference { get; set; }
    /// <summary>Any other fields of the source line, as a JSON object text (JSONB), or null.</summary>
    public string? Metadata { get; set; }
}
