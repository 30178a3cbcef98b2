namespace RlStudio.Contracts.Datasets;

/// <summary>A dataset and its newest (immutable) version.</summary>
public sealed record DatasetDto(
    long Id,
    string Name,
    long VersionId,
    int Version,
    int ItemCount,
    string ContentHash,
    DateTimeOffset CreatedAt);

/// <summary>One training example: a prompt and the reference answer rewards compare against.</summary>
public sealed record DatasetItemDto(string Prompt, string Reference);
