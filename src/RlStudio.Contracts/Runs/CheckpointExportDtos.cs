namespace RlStudio.Contracts.Runs;

/// <summary>Body of <c>POST /api/checkpoints/{id}/export</c>: an absolute folder on the worker nodes, and the queue whose worker writes it.</summary>
public sealed record ExportCheckpointRequest(string? Folder, string? Queue = null);

/// <summary>202 answer: the export is queued as a Hangfire job (its state is on the Hangfire dashboard).</summary>
public sealed record CheckpointExportDto(long CheckpointId, string Folder, string Queue, string JobId);
