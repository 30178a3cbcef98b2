using RlStudio.Contracts.Jobs;
using RlStudio.Engine.Checkpoints;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Writes a stored checkpoint as a Hugging Face folder on this node's disk (LoRA merged). The folder appears whole:
/// it is written beside the target and renamed into place, replacing an earlier export (so a retry is harmless).
/// </summary>
public sealed class ExportCheckpointJob(IngestClient ingest, ILogger<ExportCheckpointJob> logger) : IExportCheckpointJob
{
    public async Task ExportAsync(long checkpointId, string folder, CancellationToken cancellationToken)
    {
        var bytes = await ingest.DownloadCheckpointAsync(checkpointId, cancellationToken);
        var target = Path.GetFullPath(folder);
        var staging = $"{target}.partial-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                CheckpointExport.ToHuggingFace(stream, staging);
            }
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        logger.LogInformation("Checkpoint {CheckpointId} exported to {Folder}", checkpointId, target);
    }
}
