using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Runs;

/// <summary>
/// A worker's side of a run's life: claim, progress and status reports. Every change is one guarded
/// <c>UPDATE … WHERE status IN (…)</c>, so two workers cannot both claim a run and a retried report is harmless.
/// </summary>
public sealed class RunLifecycle(RlStudioDbContext db)
{
    private static readonly RunStatus[] Claimable = [RunStatus.Queued, RunStatus.Lost];
    private static readonly RunStatus[] Active = RunStatusExtensions.Active;

    public async Task<Outcome<RunClaim>> ClaimAsync(long runId, string worker, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Name, r.Spec, r.Status, r.Worker }).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return Outcome<RunClaim>.NotFound($"Run {runId} does not exist.");
        }
        if (!Claimable.Contains(run.Status))
        {
            return Outcome<RunClaim>.Conflict($"Run {runId} is {run.Status}{(run.Worker is null ? "" : $" (worker {run.Worker})")}; only Queued or Lost runs can be claimed.");
        }
        long? baseCheckpointId = run.Spec.Base.CheckpointId;
        if (run.Spec.Base.RunId is { } baseRunId)
        {
            if (await db.NewestCheckpointAsync(baseRunId, cancellationToken) is not { } newest)
            {
                return Outcome<RunClaim>.Unprocessable($"Base run {baseRunId} has no checkpoint yet; the run cannot start from it.");
            }
            baseCheckpointId = newest.Id;
        }
        var now = DateTimeOffset.UtcNow;
        var claimed = await db.Runs.Where(r => r.Id == runId && Claimable.Contains(r.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Starting)
                .SetProperty(r => r.Worker, worker)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.Error, (string?)null), cancellationToken);
        if (claimed == 0)
        {
            return Outcome<RunClaim>.Conflict($"Run {runId} was claimed by another worker.");
        }
        var resume = await db.NewestCheckpointAsync(runId, cancellationToken);
        var resumeStep = resume?.Step ?? 0;
        // The settings changes of the steps before the checkpoint are in the spec; the later ones replay at their steps.
        var (spec, later) = await db.SpecAtStepAsync(runId, run.Spec, resumeStep, cancellationToken);
        return Outcome<RunClaim>.Ok(new RunClaim(runId, run.Name, spec, baseCheckpointId, resume?.Id, resumeStep, later.Count == 0 ? null : later));
    }

    /// <summary>Records liveness and step of a run the worker owns; the reply says whether to stop, and the settings changes to apply.</summary>
    public async Task<Outcome<RunProgressReply>> ProgressAsync(long runId, RunProgress progress, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        // A paused trainer that keeps its device reports too: its heartbeat says it can go on in place (RunCommands.ContinueAsync).
        var updated = await db.Runs.Where(r => r.Id == runId && r.Worker == progress.Worker && (Active.Contains(r.Status) || r.Status == RunStatus.Paused))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, progress.Step).SetProperty(r => r.HeartbeatAt, now), cancellationToken);
        // Whether settings changes wait comes with the status (this runs every step); they are read only when some do.
        var current = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Status, r.Worker, ChangesWait = db.RunSettingChanges.Any(c => c.RunId == r.Id && c.AppliedAt == null && c.Error == null) })
            .SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return Outcome<RunProgressReply>.NotFound($"Run {runId} does not exist.");
        }
        if (updated == 0 && current.Worker != progress.Worker)
        {
            return Outcome<RunProgressReply>.Conflict($"Run {runId} belongs to worker {current.Worker ?? "(none)"}, not {progress.Worker}.");
        }
        var pending = current.ChangesWait ? await db.PendingSettingChangesAsync(runId, cancellationToken) : null;
        return Outcome<RunProgressReply>.Ok(Reply(current.Status) with { SettingChanges = pending });
    }

    /// <summary>
    /// Guarded transitions a worker may report: Starting → Running; PauseRequested → Paused; Starting/Running/
    /// CancelRequested/PauseRequested → Succeeded, Failed or Cancelled. Running while CancelRequested or PauseRequested keeps it. Repeating the current status is a no-op.
    /// </summary>
    public async Task<Outcome<RunProgressReply>> UpdateStatusAsync(long runId, RunStatusUpdate update, CancellationToken cancellationToken)
    {
        RunStatus[] from = update.Status switch
        {
            RunStatus.Running => [RunStatus.Starting],
            RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled => Active,
            RunStatus.Paused => [RunStatus.PauseRequested],
            _ => [],
        };
        if (from.Length == 0)
        {
            return Outcome<RunProgressReply>.Invalid("status", $"a worker can report Running, Paused, Succeeded, Failed or Cancelled, not {update.Status}");
        }
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? finishedAt = update.Status.IsTerminal() ? now : null;
        var error = PostgresText.StorableOrNull(update.Status == RunStatus.Failed ? update.Error ?? "failed" : update.Error);
        var updated = await db.Runs.Where(r => r.Id == runId && r.Worker == update.Worker && from.Contains(r.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, update.Status)
                .SetProperty(r => r.Step, r => Math.Max(r.Step, update.Step)) // a status report never moves the step back
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.FinishedAt, r => finishedAt ?? r.FinishedAt)
                .SetProperty(r => r.Error, error), cancellationToken);
        var current = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.Worker }).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return Outcome<RunProgressReply>.NotFound($"Run {runId} does not exist.");
        }
        if (updated == 1 || current.Status == update.Status && current.Worker == update.Worker
            || update.Status == RunStatus.Running && current.Status is RunStatus.CancelRequested or RunStatus.PauseRequested && current.Worker == update.Worker)
        {
            return Outcome<RunProgressReply>.Ok(Reply(current.Status));
        }
        return Outcome<RunProgressReply>.Conflict(
            $"Run {runId} is {current.Status} (worker {current.Worker ?? "(none)"}); {update.Worker} cannot move it to {update.Status}.");
    }

    /// <summary>What a worker is told of its run: stop (cancelled, or ended elsewhere) or pause at this step boundary.</summary>
    public static RunProgressReply Reply(RunStatus status) =>
        new(status, status == RunStatus.CancelRequested || status.IsTerminal(), status == RunStatus.PauseRequested);
}
