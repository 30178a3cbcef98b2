using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Entities;

/// <summary>
/// One request to write a checkpoint as a Hugging Face folder on a worker node, and how it went. A record of what was
/// written: it keeps the checkpoint's id and step after the checkpoint is gone (no foreign key to it).
/// </summary>
public sealed class CheckpointExport
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long CheckpointId { get; set; }
    public int Step { get; set; }
    public required string Folder { get; set; }
    public required string Queue { get; set; }
    public string? JobId { get; set; }
    public ExportStatus Status { get; set; }
    public string? Worker { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
