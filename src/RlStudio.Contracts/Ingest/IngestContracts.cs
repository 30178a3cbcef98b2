using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Contracts.Ingest;

// The worker ↔ web ingest API under /api/ingest. All writes are idempotent so a retried request is harmless.

/// <summary><c>POST /api/ingest/runs/{id}/claim</c>: take a Queued (or Lost) run. 409 if someone else has it.</summary>
public sealed record ClaimRunRequest(string Worker);

/// <summary>
/// What a worker needs to train a claimed run: its spec, the base checkpoint to start from (resolved from
/// <see cref="BaseModelSpec"/>), and the run's own newest checkpoint to resume from, if any. <see cref="Spec"/> holds the
/// settings changes of steps up to <see cref="ResumeStep"/>; <see cref="SettingChanges"/> are the later ones, each to apply
/// before its <see cref="SettingChangeDto.Step"/> (the run's history replays exactly).
/// </summary>
public sealed record RunClaim(
    long RunId,
    string Name,
    RunSpec Spec,
    long? BaseCheckpointId,
    long? ResumeCheckpointId,
    int ResumeStep,
    IReadOnlyList<SettingChangeDto>? SettingChanges = null);

/// <summary><c>GET /api/ingest/datasets/versions/{id}/items</c>.</summary>
public sealed record DatasetItemsResponse(long VersionId, IReadOnlyList<DatasetItemDto> Items, Datasets.DatasetKind Kind = Datasets.DatasetKind.Prompts);

/// <summary><c>POST /api/ingest/runs/{id}/progress</c>: liveness and step; the answer says whether to stop.</summary>
public sealed record RunProgress(string Worker, int Step);

/// <summary>
/// <see cref="SettingChanges"/>: the run's settings changes no worker has applied yet (scheduled ones with a step, the
/// others for the next step boundary); a worker skips those it has already applied.
/// </summary>
public sealed record RunProgressReply(RunStatus Status, bool CancelRequested, bool PauseRequested = false,
    IReadOnlyList<SettingChangeDto>? SettingChanges = null);

/// <summary>
/// <c>POST /api/ingest/runs/{id}/settings/{changeId}</c>: the worker applied a settings change from <see cref="Step"/> on,
/// or could not (<see cref="Error"/>).
/// </summary>
public sealed record SettingChangeApplied(string Worker, int Step, string? Error = null);

/// <summary><c>POST /api/ingest/runs/{id}/status</c>: Running, Succeeded, Failed or Cancelled (guarded transitions).</summary>
public sealed record RunStatusUpdate(string Worker, RunStatus Status, int Step, string? Error = null);

/// <summary><c>POST /api/ingest/runs/{id}/metrics</c>. Writing the same (run, key, step) again keeps one point (the latest value).</summary>
public sealed record MetricBatch(IReadOnlyList<MetricPoint> Points);

/// <summary><c>POST /api/ingest/runs/{id}/rollouts</c>.</summary>
public sealed record RolloutBatch(IReadOnlyList<RolloutDto> Samples);

/// <summary>
/// <c>POST /api/ingest/exports/{id}/status</c>: Running when a worker starts writing, then Succeeded or Failed (with the
/// error). Guarded: a finished export stays finished (409).
/// </summary>
public sealed record ExportStatusUpdate(string Worker, ExportStatus Status, string? Error = null);

// Checkpoints: POST /api/ingest/runs/{id}/checkpoints?step=N with the bytes as application/octet-stream
// → CheckpointDto (idempotent by run+step); GET /api/ingest/checkpoints/{id}/content → the bytes.
