namespace RlStudio.Data.Entities;

/// <summary>One example of a dataset version; <see cref="Ordinal"/> keeps file order.</summary>
public sealed class DatasetItem
{
    public long Id { get; set; }
    public long DatasetVersionId { get; set; }
    public int Ordinal { get; set; }
    public required string Prompt { get; set; }
    /// <summary>The reference answer (prompt datasets); empty in preference datasets.</summary>
    public required string Reference { get; set; }
    /// <summary>Preference datasets: the preferred completion.</summary>
    public string? Chosen { get; set; }
    /// <summary>Preference datasets: the rejected completion.</summary>
    public string? Rejected { get; set; }
    /// <summary>Any other fields of the source line, as a JSON object text (JSONB), or null.</summary>
    public string? Metadata { get; set; }
}
