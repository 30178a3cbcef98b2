using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Storage;

/// <summary>Reads of <c>checkpoint_exports</c> as <see cref="CheckpointExportDto"/>s.</summary>
public static class CheckpointExportStore
{
    public static Task<CheckpointExportDto?> GetExportAsync(this RlStudioDbContext db, long id, CancellationToken cancellationToken) =>
        db.CheckpointExports.AsNoTracking().Where(e => e.Id == id).Select(ToDto).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A run's exports, newest first.</summary>
    public static async Task<IReadOnlyList<CheckpointExportDto>> ListRunExportsAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        await db.CheckpointExports.AsNoTracking().Where(e => e.RunId == runId).OrderByDescending(e => e.Id).Select(ToDto).ToListAsync(cancellationToken);

    private static readonly System.Linq.Expressions.Expression<Func<CheckpointExport, CheckpointExportDto>> ToDto = e =>
        new CheckpointExportDto(e.Id, e.RunId, e.CheckpointId, e.Step, e.Folder, e.Queue, e.JobId, e.Status, e.Worker, e.Error,
            e.CreatedAt, e.StartedAt, e.FinishedAt);
}
