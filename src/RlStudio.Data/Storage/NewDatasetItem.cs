namespace RlStudio.Data.Storage;

/// <summary>An item about to be stored; <see cref="Metadata"/> is a JSON object text or null.</summary>
public sealed record NewDatasetItem(string Prompt, string Reference, string? Metadata = null);
