
namespace RlStudio.Contracts.Labeling;

/// <summary>
/// Body of <c>POST /api/comparison-batches</c> (JSON): sample <see cref="Items"/> prompts of <see cref="Dataset"/> from one
/// source twice or from two sources, on a worker node of <see cref="Queue"/>. Loosely typed so validation can name every
/// bad field.
/// </summary>
public sealed record CreateComparisonBatchRequest(
    string? Name,
    string? Dataset,
    IReadOnlyList<ComparisonSource>? Sources,
    int? Overlap = null,
    string? Guidelines = null,
    IReadOnlyList<string>? Labelers = null,
    bool? AllowTies = null,
    bool? AllowBothBad = null,
    int? Items = null,
    double? Temperature = null,
    double? TopP = null,
    int? MaxNewTokens = null,
    string? Queue = null,
    long? Seed = null);

/// <summary>A comparison batch as the API returns it, with its progress.</summary>
public sealed record ComparisonBatchDto(
    long Id,
    string Name,
    ComparisonBatchStatus Status,
    string? Error,
    string? DatasetName,
    IReadOnlyList<ComparisonSource> Sources,
    int Overlap,
    string? Guidelines,
    IReadOnlyList<string>? Labelers,
    bool AllowTies,
    bool AllowBothBad,
    int TargetItems,
    int ItemCount,
    int LabelCount,
    int CompleteItems,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> ExcludedLabelers,
    IReadOnlyList<long> ExportedVersionIds);

/// <summary><c>PATCH /api/comparison-batches/{id}</c>: labelers whose labels the export leaves out (the owner or an Admin).</summary>
public sealed record UpdateComparisonBatchRequest(IReadOnlyList<string>? ExcludedLabelers = null);

/// <summary>The next item for the caller (<c>GET /api/labeling/next</c>): the two responses on the sides they are to see.</summary>
public sealed record LabelingItemDto(
    long ItemId,
    long BatchId,
    string BatchName,
    string Prompt,
    string Left,
    string Right,
    string? Guidelines,
    bool AllowTies,
    bool AllowBothBad,
    int Done,
    int Available,
    int Today);

/// <summary>
/// <c>POST /api/labeling/{itemId}</c>. <see cref="Seconds"/>: how long the item was on screen, when the client knows it
/// (a prefetched item is handed out before it is shown); the server's own measure caps it.
/// </summary>
public sealed record LabelRequest(string? Choice, string? Rationale = null, double? Seconds = null);

/// <summary>A stored label as its labeler sees it back.</summary>
public sealed record LabelDto(long ItemId, string Labeler, PreferenceChoice Choice, SideChoice Side, string? Rationale, double Seconds, DateTimeOffset At);

/// <summary>A batch a labeler may work on, with their progress (<c>GET /api/labeling/batches</c>).</summary>
public sealed record LabelingBatchDto(long Id, string Name, int ItemCount, int Overlap, int Done, int Open, string? Guidelines);

/// <summary>
/// Body of <c>POST /api/comparison-batches/{id}/export</c>: a new preference dataset version. <c>ties</c> and <c>bothBad</c>:
/// <c>drop</c> (default) or <c>keep</c> (as both orders, which cancel in the loss); <c>aggregation</c>: <c>majority</c>
/// (one pair per item with a strict majority) or <c>all</c> (a pair per label).
/// </summary>
public sealed record ExportBatchRequest(string? DatasetName, string? Ties = null, string? BothBad = null, string? Aggregation = null);

/// <summary>Agreement and quality of a batch's labels (<c>GET /api/comparison-batches/{id}/stats</c>).</summary>
public sealed record BatchStatsDto(
    long BatchId,
    int Labels,
    IReadOnlyDictionary<string, int> Choices,
    double? KrippendorffAlpha,
    IReadOnlyList<KappaDto> CohenKappa,
    IReadOnlyList<LabelerStatsDto> Labelers,
    IReadOnlyList<DisagreementDto> Disagreements,
    IReadOnlyList<RewardModelAgreementDto> RewardModels);

/// <summary>Cohen's κ of two labelers over the items both labeled.</summary>
public sealed record KappaDto(string A, string B, int CommonItems, double? Kappa);

public sealed record LabelerStatsDto(string Name, int Labels, double? MedianSeconds, double? MajorityAgreement, bool Excluded);

public sealed record DisagreementDto(long ItemId, string Prompt, IReadOnlyDictionary<string, string> Labels, double Disagreement);

/// <summary>A reward model trained on this batch's export: how often it agrees with the human majority on the held-out pairs.</summary>
public sealed record RewardModelAgreementDto(long RunId, string RunName, string Status, double? HeldOutAgreement);

/// <summary>Worker's claim of a sampling job: what to sample (<c>POST /api/ingest/batches/{id}/claim</c>).</summary>
public sealed record ComparisonSamplingClaim(
    long BatchId,
    IReadOnlyList<ComparisonSource> Sources,
    IReadOnlyList<long?> SourceCheckpointIds,
    IReadOnlyList<string> Prompts,
    IReadOnlyList<string?> References,
    double Temperature,
    double TopP,
    int MaxNewTokens,
    long Seed);

/// <summary>Items a worker sampled (<c>POST /api/ingest/batches/{id}/items</c>): idempotent by ordinal.</summary>
public sealed record ComparisonItemsBatch(string Worker, IReadOnlyList<ComparisonItemDto> Items);

public sealed record ComparisonItemDto(int Ordinal, string Prompt, string ResponseA, string ResponseB, string? Reference = null);

/// <summary><c>POST /api/ingest/batches/{id}/status</c>: Ready when every item is in, or Failed with the error.</summary>
public sealed record ComparisonBatchStatusUpdate(string Worker, ComparisonBatchStatus Status, string? Error = null);

/// <summary>Live: a batch's progress (SignalR group <c>batch:{id}</c>, and the batch pages).</summary>
public sealed record BatchProgress(long Id, ComparisonBatchStatus Status, int ItemCount, int TargetItems, int LabelCount, int CompleteItems, string? Error);
