using Microsoft.Extensions.Options;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Engine.Checkpoints;
using RlStudio.Worker.Hosting;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Writes a stored checkpoint as a Hugging Face folder on this node's disk (LoRA merged) and reports the export Running,
/// then Succeeded or Failed (with the error). The folder appears whole: it is written beside the target and renamed
/// into place, replacing an earlier export (so a retry is harmless). Only under this node's model roots (<see cref="ModelRootGuard"/>).
/// </summary>
public sealed class ExportCheckpointJob(IngestClient ingest, IOptions<WorkerOptions> options, ModelRootGuard roots, ILogger<ExportCheckpointJob> logger)
    : IExportCheckpointJob
{
    public async Task ExportAsync(long exportId, long checkpointId, string folder, CancellationToken cancellationToken)
    {
        var worker = options.Value.WorkerName;
        if (!await ingest.ReportExportAsync(exportId, new ExportStatusUpdate(worker, ExportStatus.Running), cancellationToken))
        {
            logger.LogInformation("Export {ExportId} has already finished; nothing to do", exportId);
            return;
        }
        try
        {
            await WriteAsync(checkpointId, roots.Check(folder), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Export {ExportId} of checkpoint {CheckpointId} to {Folder} failed", exportId, checkpointId, folder);
            await ingest.ReportExportAsync(exportId, new ExportStatusUpdate(worker, ExportStatus.Failed, e.Message), CancellationToken.None);
            throw;
        }
        await ingest.ReportExportAsync(exportId, new ExportStatusUpdate(worker, ExportStatus.Succeeded), CancellationToken.None);
        logger.LogInformation("Checkpoint {CheckpointId} exported to {Folder} (export {ExportId})", checkpointId, folder, exportId);
    }

    private async Task WriteAsync(long checkpointId, string target, CancellationToken cancellationToken)
    {
        var bytes = await ingest.DownloadCheckpointAsync(checkpointId, cancellationToken);
        var staging = $"{target}.partial-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                CheckpointExport.ToHuggingFace(stream, staging);
            }
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write {target} on this node: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
