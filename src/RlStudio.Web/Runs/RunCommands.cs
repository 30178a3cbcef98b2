using Hangfire;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Nodes;
using Npgsql;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;
using RlStudio.Data.Tracking;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Runs;

/// <summary>What a user does to runs: create (store as Queued + enqueue the training job) and cancel.</summary>
public sealed class RunCommands(RlStudioDbContext db, IBackgroundJobClient jobs, Microsoft.Extensions.Options.IOptions<StaleRunOptions> staleRuns, ILogger<RunCommands> logger)
{
    /// <summary>Stores the run as Queued, owned by <paramref name="createdBy"/> (its experiment created on demand), and enqueues <see cref="ITrainRunJob"/> on its queue.</summary>
    public async Task<long> CreateAsync(ValidatedRun validated, long? createdBy, CancellationToken cancellationToken)
    {
        var experimentId = await db.EnsureExperimentAsync(validated.Experiment, cancellationToken);
        if (validated.Launch is { } launch)
        {
            // Launched elsewhere: Launchers/ExternalLaunchMonitor submits it and follows its job; no training job here.
            var external = new Run
            {
                Name = validated.Name, Notes = validated.Notes, Tags = [.. validated.Tags ?? []], ExperimentId = experimentId,
                Algorithm = Algorithm.External, Status = RunStatus.Queued, Spec = validated.Spec, DatasetId = null, Priority = validated.Priority,
                Queue = validated.Queue, CreatedAt = DateTimeOffset.UtcNow, CreatedById = createdBy, Launch = launch,
            };
            db.Runs.Add(external);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Run {RunId} created for launch on Ray cluster {ClusterId}", external.Id, launch.ClusterId);
            return external.Id;
        }
        var run = new Run
        {
            Name = validated.Name,
            Notes = validated.Notes,
            Tags = [.. validated.Tags ?? []],
            ExperimentId = experimentId,
            Algorithm = validated.Spec.Algorithm,
            Status = RunStatus.Queued,
            Spec = validated.Spec,
            DatasetId = validated.Spec.DatasetId,
            Priority = validated.Priority,
            Queue = validated.Queue,
            Seed = validated.Spec.Seed,
            TotalSteps = validated.Spec.Settings.Steps,
            CreatedAt = DateTimeOffset.UtcNow,
            CreatedById = createdBy,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        string jobId;
        try
        {
            var runId = run.Id;
            jobId = jobs.Enqueue<ITrainRunJob>(JobQueues.ForRun(run.Queue, run.Priority), j => j.TrainAsync(runId, CancellationToken.None));
        }
        catch
        {
            db.Runs.Remove(run);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.JobId, jobId), cancellationToken);
        logger.LogInformation("Run {RunId} queued on {Queue} as job {JobId}", run.Id, run.Queue, jobId);
        return run.Id;
    }

    /// <summary>
    /// Queued, Lost or Paused → Cancelled at once (the Hangfire job is deleted); Starting/Running/PauseRequested →
    /// CancelRequested (the worker stops between steps); CancelRequested stays. Null when the run does not exist; the status it had when terminal.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        if (await db.Runs.AnyAsync(r => r.Id == runId && r.Algorithm == Algorithm.External && r.Launch == null, cancellationToken)) return CancelOutcome.External;
        var now = DateTimeOffset.UtcNow;
        var cancelled = await db.Runs.Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Lost || r.Status == RunStatus.Paused))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now), cancellationToken);
        if (cancelled == 1)
        {
            var jobId = await db.Runs.Where(r => r.Id == runId).Select(r => r.JobId).SingleAsync(cancellationToken);
            if (jobId is not null)
            {
                jobs.Delete(jobId);
            }
            return CancelOutcome.Changed;
        }
        var requested = await db.Runs.Where(r => r.Id == runId
                && (r.Status == RunStatus.Starting || r.Status == RunStatus.Running || r.Status == RunStatus.PauseRequested))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.CancelRequested), cancellationToken);
        if (requested == 1)
        {
            return CancelOutcome.Changed;
        }
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        return status switch
        {
            null => CancelOutcome.NotFound,
            RunStatus.CancelRequested => CancelOutcome.Unchanged,
            _ => CancelOutcome.Terminal,
        };
    }

    /// <summary>
    /// Pause: Queued → Paused at once (its job deleted: nothing trains it until it continues); Starting/Running →
    /// PauseRequested (its worker checkpoints at the next step boundary and reports Paused); PauseRequested and Paused stay.
    /// </summary>
    public async Task<CancelOutcome> PauseAsync(long runId, CancellationToken cancellationToken)
    {
        if (await db.Runs.AnyAsync(r => r.Id == runId && r.Algorithm == Algorithm.External, cancellationToken)) return CancelOutcome.External;
        var job = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued).Select(r => r.JobId).SingleOrDefaultAsync(cancellationToken);
        if (await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Paused), cancellationToken) == 1)
        {
            if (job is not null) jobs.Delete(job);
            return CancelOutcome.Changed;
        }
        if (await db.Runs.Where(r => r.Id == runId && (r.Status == RunStatus.Starting || r.Status == RunStatus.Running))
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.PauseRequested), cancellationToken) == 1)
            return CancelOutcome.Changed;
        var status = await db.Runs.Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        return status switch
        {
            null => CancelOutcome.NotFound,
            RunStatus.PauseRequested or RunStatus.Paused => CancelOutcome.Unchanged,
            _ => CancelOutcome.Terminal,
        };
    }

    /// <summary>
    /// Paused → Running in place when its trainer kept the device (keepDeviceWhilePaused) and still reports; otherwise →
    /// Queued with a new training job, which a worker picks up from the pause checkpoint. False when the run is not Paused.
    /// </summary>
    public async Task<bool> ContinueAsync(long runId, CancellationToken cancellationToken)
    {
        if (await db.LatestSpecAsync(runId, cancellationToken) is { Settings.KeepDeviceWhilePaused: true })
        {
            var alive = DateTimeOffset.UtcNow - staleRuns.Value.StaleAfter;
            var inPlace = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Paused && r.Worker != null && r.HeartbeatAt > alive)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Running), cancellationToken);
            if (inPlace == 1)
            {
                logger.LogInformation("Run {RunId} continues in place on its worker", runId);
                return true;
            }
        }
        return await RequeueAsync(runId, [RunStatus.Paused], cancellationToken);
    }

    /// <summary>
    /// A queued run to another queue or priority: its training job is enqueued anew where the new queue and priority put
    /// it, and the old job deleted (a worker that took the old one first claims the run as usual; the new job then finds
    /// it claimed and does nothing). False when the run is not Queued (or is external).
    /// </summary>
    public async Task<bool> MoveAsync(long runId, string? queue, int? priority, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId && r.Status == RunStatus.Queued && r.Algorithm != Algorithm.External)
            .Select(r => new { r.Queue, r.Priority, r.JobId }).SingleOrDefaultAsync(cancellationToken);
        if (run is null) return false;
        var (newQueue, newPriority) = (queue ?? run.Queue, priority ?? run.Priority);
        var moved = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Queue, newQueue).SetProperty(r => r.Priority, newPriority), cancellationToken);
        if (moved == 0) return false;
        var jobId = jobs.Enqueue<ITrainRunJob>(JobQueues.ForRun(newQueue, newPriority), j => j.TrainAsync(runId, CancellationToken.None));
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.JobId, jobId), cancellationToken);
        if (run.JobId is not null) jobs.Delete(run.JobId);
        logger.LogInformation("Run {RunId} moved to {Queue} priority {Priority} as job {JobId}", runId, newQueue, newPriority, jobId);
        return true;
    }

    /// <summary>
    /// Failed, Cancelled or Paused → Queued again (error and finish time cleared) with a new training job: the worker that
    /// claims it continues from the run's newest checkpoint, with <paramref name="changes"/> (validated settings) from the
    /// step after it. The changes join the run's history (<see cref="SettingChangeStore"/>); those made after that checkpoint
    /// are superseded, since those steps train again. False when the run is not Failed, Cancelled or Paused, or external.
    /// </summary>
    public async Task<bool> ResumeAsync(long runId, CancellationToken cancellationToken, JsonObject? changes = null, Caller? caller = null)
    {
        if (changes is null) return await RequeueAsync(runId, Resumable, cancellationToken);
        // Queued, the later changes superseded and this one recorded together, or none of it (a concurrent resume finds it Queued).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await MarkQueuedAsync(runId, Resumable, cancellationToken)) return false;
            var from = (await db.NewestCheckpointAsync(runId, cancellationToken))?.Step ?? 0;
            var superseded = $"superseded: the run resumed from step {from} with other settings";
            await db.RunSettingChanges.Where(c => c.RunId == runId && c.Error == null && (c.Step == null || c.Step > from))
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Error, superseded), cancellationToken);
            await db.AddSettingChangeAsync(runId, changes, from + 1, caller?.UserId, caller?.Name, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await EnqueueAsync(runId, cancellationToken);
        return true;
    }

    private static readonly RunStatus[] Resumable = [RunStatus.Failed, RunStatus.Cancelled, RunStatus.Paused];

    /// <summary>A run in one of <paramref name="from"/> → Queued (worker, error and finish time cleared) with a new training job.</summary>
    private async Task<bool> RequeueAsync(long runId, RunStatus[] from, CancellationToken cancellationToken)
    {
        if (!await MarkQueuedAsync(runId, from, cancellationToken)) return false;
        await EnqueueAsync(runId, cancellationToken);
        return true;
    }

    /// <summary>A native run in one of <paramref name="from"/> → Queued, worker, error and finish time cleared; false for any other.</summary>
    private async Task<bool> MarkQueuedAsync(long runId, RunStatus[] from, CancellationToken cancellationToken) =>
        await db.Runs.Where(r => r.Id == runId && r.Algorithm != Algorithm.External && from.Contains(r.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Queued)
                .SetProperty(r => r.Worker, (string?)null)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null), cancellationToken) == 1;

    /// <summary>A new training job for a queued run, on its queue and priority.</summary>
    private async Task EnqueueAsync(long runId, CancellationToken cancellationToken)
    {
        var queue = await db.Runs.Where(r => r.Id == runId).Select(r => JobQueues.ForRun(r.Queue, r.Priority)).SingleAsync(cancellationToken);
        var jobId = jobs.Enqueue<ITrainRunJob>(queue, j => j.TrainAsync(runId, CancellationToken.None));
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.JobId, jobId), cancellationToken);
        logger.LogInformation("Run {RunId} queued again on {Queue} as job {JobId}", runId, queue, jobId);
    }
}

public enum CancelOutcome
{
    NotFound,
    Changed,
    Unchanged,
    Terminal,
    /// <summary>An external run: its trainer, not RL Studio, stops it.</summary>
    External,
}
