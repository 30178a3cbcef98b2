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
/// or a prompt with the preferred and the rejected completion (<see cref="DatasetKind.Preferences"/>; Reference is empty),
/// or an environment task (<see cref="DatasetKind.Tasks"/>: Prompt is the task in words, Reference is empty). Metadata is
/// the line's other fields as a JSON object text (a task's <c>env</c>, <c>seed</c>, <c>parameters</c>, <c>demonstration</c>).
/// </summary>
public sealed record DatasetItemDto(string Prompt, string Reference, string? Chosen = null, string? Rejected = null, string? Metadata = null);
