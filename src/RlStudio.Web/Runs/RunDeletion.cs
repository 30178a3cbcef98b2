using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;

using RlStudio.Web.Auth;

namespace RlStudio.Web.Runs;

/// <summary>
/// Deletes a finished run with everything it owns (metrics, rollouts, checkpoints, exports). Refused while the run can
/// still change (cancel it first), while another run starts from or is scored by it or one of its checkpoints (delete
/// that one first), and while an export of its checkpoints is pending.
/// </summary>
public sealed class RunDeletion(RlStudioDbContext db, ILogger<RunDeletion> logger)
{
    private static readonly RunStatus[] Deletable = RunStatusExtensions.Terminal;

    public async Task<Outcome<long>> DeleteAsync(long runId, Caller caller, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.CreatedById }).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return Outcome<long>.NotFound($"Run {runId} does not exist.");
        }
        if (!caller.MayManage(run.CreatedById))
        {
            return Outcome<long>.Forbidden($"Only the account that queued run {runId}, or an Admin, can delete it.");
        }
        if (!Deletable.Contains(run.Status))
        {
            return Outcome<long>.Conflict($"Run {runId} is {run.Status}; only a Succeeded, Failed or Cancelled run can be deleted (cancel it first).");
        }
        var dependents = await db.RunsDependingOnAsync(runId, cancellationToken);
        if (dependents.Count > 0)
        {
            return Outcome<long>.Conflict(
                $"Run {runId} cannot be deleted: {RunIdList.Describe(dependents)} start{(dependents.Count == 1 ? "s" : "")} from it or {(dependents.Count == 1 ? "is" : "are")} scored by it. Delete {(dependents.Count == 1 ? "that run" : "those runs")} first.");
        }
        if (await db.CheckpointExports.AnyAsync(e => e.RunId == runId && ExportStatusExtensions.Pending.Contains(e.Status), cancellationToken))
        {
            return Outcome<long>.Conflict($"Run {runId} has a checkpoint export still pending; delete it once the export has finished.");
        }
        // Metrics, rollouts, checkpoints (and their chunks) and exports go with the run (ON DELETE CASCADE).
        var deleted = await db.Runs.Where(r => r.Id == runId && Deletable.Contains(r.Status)).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Outcome<long>.Conflict($"Run {runId} changed while it was being deleted; try again.");
        }
        logger.LogInformation("Run {RunId} deleted", runId);
        return Outcome<long>.Ok(runId);
    }
}
