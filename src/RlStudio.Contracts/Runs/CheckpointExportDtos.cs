namespace RlStudio.Contracts.Runs;

/// <summary>Body of <c>POST /api/checkpoints/{id}/export</c>: an absolute folder on the worker nodes, and the queue whose worker writes it.</summary>
public sealed record ExportCheckpointRequest(string? Folder, string? Queue = null);

/// <summary>
/// An export of a checkpoint as a Hugging Face folder: the 202 answer of <c>POST /api/checkpoints/{id}/export</c>, and
/// what <c>GET /api/exports/{id}</c> and <c>GET /api/runs/{id}/exports</c> answer. An export is a record of what was
/// written: it outlives its checkpoint (retention never deletes a checkpoint whose export is still pending).
/// <see cref="Worker"/> is the node that wrote (or failed to write) <see cref="Folder"/>; <see cref="JobId"/> is the
/// Hangfire job.
/// </summary>
public sealed record CheckpointExportDto(
    long Id,
    long RunId,
    long CheckpointId,
    int Step,
    string Folder,
    string Queue,
    string? JobId,
    ExportStatus Status,
    string? Worker,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
