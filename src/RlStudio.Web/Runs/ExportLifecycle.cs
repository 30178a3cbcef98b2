using Hangfire;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Runs;

/// <summary>
/// A checkpoint export's life: queued here (a <c>checkpoint_exports</c> row, then the Hangfire job that names it), then
/// reported by the worker that runs the job: Running, then Succeeded or Failed. Reports are guarded updates, so a
/// retried report is harmless and a finished export stays finished.
/// </summary>
public sealed class ExportLifecycle(RlStudioDbContext db, IBackgroundJobClient jobs)
{
    /// <summary>Longest error text kept (a worker's exception message; the rest is in its log).</summary>
    public const int MaxErrorLength = 4000;

    /// <summary>
    /// Records the export and enqueues its job on <paramref name="queue"/> (default: the run's queue). The row is written
    /// first, so the worker always finds it; if enqueueing fails, the row is removed again.
    /// </summary>
    /// <summary>The queue an export of the checkpoint goes to by default (its run's), or null when the checkpoint does not exist.</summary>
    public Task<string?> QueueOfAsync(long checkpointId, CancellationToken cancellationToken) =>
        db.Checkpoints.AsNoTracking().Where(c => c.Id == checkpointId)
            .Select(c => db.Runs.Where(r => r.Id == c.RunId).Select(r => r.Queue).Single())
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<Outcome<CheckpointExportDto>> QueueAsync(long checkpointId, string folder, string? queue, CancellationToken cancellationToken)
    {
        var checkpoint = await db.Checkpoints.AsNoTracking().Where(c => c.Id == checkpointId)
            .Select(c => new { c.RunId, c.Step, RunQueue = db.Runs.Where(r => r.Id == c.RunId).Select(r => r.Queue).Single() })
            .SingleOrDefaultAsync(cancellationToken);
        if (checkpoint is null)
        {
            return Outcome<CheckpointExportDto>.NotFound($"Checkpoint {checkpointId} does not exist.");
        }
        var export = new CheckpointExport
        {
            RunId = checkpoint.RunId,
            CheckpointId = checkpointId,
            Step = checkpoint.Step,
            Folder = folder,
            Queue = queue ?? checkpoint.RunQueue,
            Status = ExportStatus.Queued,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.CheckpointExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            export.JobId = jobs.Enqueue<IExportCheckpointJob>(export.Queue, j => j.ExportAsync(export.Id, checkpointId, folder, CancellationToken.None));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await db.CheckpointExports.Where(e => e.Id == export.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        return Outcome<CheckpointExportDto>.Ok((await db.GetExportAsync(export.Id, cancellationToken))!);
    }

    /// <summary>
    /// Transitions a worker may report: Queued/Running → Running (a second attempt takes over), Running → Succeeded or
    /// Failed by the worker that runs it. Repeating the current status is a no-op.
    /// </summary>
    public async Task<Outcome<CheckpointExportDto>> UpdateStatusAsync(long id, ExportStatusUpdate update, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(update.Worker) || update.Worker.Length > 200)
        {
            return Outcome<CheckpointExportDto>.Invalid("worker", "required, at most 200 characters");
        }
        var now = DateTimeOffset.UtcNow;
        int updated;
        switch (update.Status)
        {
            case ExportStatus.Running:
                updated = await db.CheckpointExports.Where(e => e.Id == id && ExportStatusExtensions.Pending.Contains(e.Status))
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(e => e.Status, ExportStatus.Running)
                        .SetProperty(e => e.Worker, update.Worker)
                        .SetProperty(e => e.StartedAt, now)
                        .SetProperty(e => e.Error, (string?)null), cancellationToken);
                break;
            case ExportStatus.Succeeded or ExportStatus.Failed:
                var error = update.Status == ExportStatus.Failed ? Truncate(update.Error ?? "failed") : null;
                updated = await db.CheckpointExports.Where(e => e.Id == id && e.Status == ExportStatus.Running && e.Worker == update.Worker)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(e => e.Status, update.Status)
                        .SetProperty(e => e.FinishedAt, now)
                        .SetProperty(e => e.Error, error), cancellationToken);
                break;
            default:
                return Outcome<CheckpointExportDto>.Invalid("status", $"a worker can report Running, Succeeded or Failed, not {update.Status}");
        }
        if (await db.GetExportAsync(id, cancellationToken) is not { } current)
        {
            return Outcome<CheckpointExportDto>.NotFound($"Export {id} does not exist.");
        }
        if (updated == 1 || current.Status == update.Status && current.Worker == update.Worker)
        {
            return Outcome<CheckpointExportDto>.Ok(current);
        }
        return Outcome<CheckpointExportDto>.Conflict(
            $"Export {id} is {current.Status} (worker {current.Worker ?? "(none)"}); {update.Worker} cannot move it to {update.Status}.");
    }

    private static string Truncate(string text)
    {
        var storable = PostgresText.Storable(text);
        return storable.Length <= MaxErrorLength ? storable : storable[..(MaxErrorLength - 1)] + "…";
    }
}
