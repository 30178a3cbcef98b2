namespace RlStudio.Data.Storage;

/// <summary>
/// An item about to be stored; <see cref="Metadata"/> is a JSON object text or null. Preference items carry
/// <see cref="Chosen"/> and <see cref="Rejected"/> and an empty <see cref="Reference"/>.
/// </summary>
public sealed record NewDatasetItem(string Prompt, string Reference, string? Metadata = null, string? Chosen = null, string? Rejected = null);
