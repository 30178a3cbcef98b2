namespace RlStudio.Contracts.Datasets;

/// <summary>A dataset and its newest (immutable) version.</summary>
public sealed record DatasetDto(
    long Id,
    string Name,
    long VersionId,
    int Version,
    int ItemCount,
    string ContentHash,
    DateTimeOffset CreatedAt,
    DatasetKind Kind = DatasetKind.Prompts,
    long? SourceBatchId = null);

/// <summary>
/// One training example: a prompt and the reference answer rewards compare against (<see cref="DatasetKind.Prompts"/>),
/// or a prompt with the preferred and the rejected completion (<see cref="DatasetKind.Preferences"/>; Reference is empty).
/// </summary>
public sealed record DatasetItemDto(string Prompt, string Reference, string? Chosen = null, string? Rejected = null);
