using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Web.Hosting;
using RlStudio.Web.Live;

namespace RlStudio.Web.Runs;

/// <summary>
/// Finds runs whose worker stopped reporting (killed, crashed, node lost). A running run becomes Lost and
/// is queued again, so the next worker that claims it resumes from its newest checkpoint; a run that was
/// being cancelled ends Cancelled. Each change is a guarded UPDATE, so a late report from the old worker
/// (which no longer owns the run) cannot undo it. Runs are judged only once the database has been reachable from this host
/// for a whole stale window (<see cref="DatabaseAvailability"/>): after a restart of this host or of PostgreSQL, healthy
/// nodes first get the chance to deliver what they kept while they could not report.
/// </summary>
public sealed class StaleRunMonitor(
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    RunNotifier notifier,
    IOptions<StaleRunOptions> options,
    DatabaseAvailability availability,
    ILogger<StaleRunMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (availability.ReachableFor < options.Value.StaleAfter) continue;
            try
            {
                await SweepAsync(DateTimeOffset.UtcNow - options.Value.StaleAfter, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (Api.DatabaseUnavailableHandler.IsDatabaseUnavailable(ex)) availability.MarkUnavailable();
                logger.LogError(ex, "Checking for stale runs failed");
            }
        }
    }

    /// <summary>
    /// Marks runs that have not reported since <paramref name="cutoff"/>; returns how many changed. One web host at a time
    /// sweeps (<see cref="SingleHostLock"/>): null when another host is sweeping.
    /// </summary>
    public async Task<int?> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RlStudioDbContext>();
        var changed = 0;
        var swept = await SingleHostLock.TryRunAsync(db, nameof(StaleRunMonitor), async () => changed = await SweepLockedAsync(db, cutoff, cancellationToken),
            cancellationToken);
        return swept ? changed : null;
    }

    private async Task<int> SweepLockedAsync(RlStudioDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var stale = await db.Runs.AsNoTracking()
            .Where(r => r.Algorithm != Algorithm.External && RunStatusExtensions.Active.Contains(r.Status) && r.HeartbeatAt < cutoff)
            .Select(r => new { r.Id, r.Status, r.Queue, r.Priority, r.Worker, r.Step })
            .ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var run in stale)
        {
            var now = DateTimeOffset.UtcNow;
            if (run.Status == RunStatus.CancelRequested)
            {
                changed += await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.CancelRequested && r.HeartbeatAt < cutoff)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(r => r.Status, RunStatus.Cancelled)
                        .SetProperty(r => r.FinishedAt, now)
                        .SetProperty(r => r.Error, $"worker {run.Worker} stopped responding while cancelling at step {run.Step}"), cancellationToken);
            }
            else if (run.Status == RunStatus.PauseRequested)
            {
                // It was stopping anyway: paused at its newest checkpoint, which `continue` resumes from.
                changed += await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.PauseRequested && r.HeartbeatAt < cutoff)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(r => r.Status, RunStatus.Paused)
                        .SetProperty(r => r.Worker, (string?)null)
                        .SetProperty(r => r.Error, $"worker {run.Worker} stopped responding while pausing at step {run.Step}; continuing resumes from the newest checkpoint"), cancellationToken);
            }
            else if (await MarkLostAsync(db, run.Id, run.Worker, run.Step, cutoff, cancellationToken))
            {
                var jobId = jobs.Enqueue<ITrainRunJob>(JobQueues.ForRun(run.Queue, run.Priority), j => j.TrainAsync(run.Id, CancellationToken.None));
                await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.JobId, jobId), cancellationToken);
                logger.LogWarning("Run {RunId} lost by worker {Worker} at step {Step}; requeued as job {JobId}", run.Id, run.Worker, run.Step, jobId);
                changed++;
            }
            await notifier.RunUpdatedAsync(db, run.Id, cancellationToken);
        }
        return changed;
    }

    private static async Task<bool> MarkLostAsync(RlStudioDbContext db, long runId, string? worker, int step, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await db.Runs.Where(r => r.Id == runId && (r.Status == RunStatus.Starting || r.Status == RunStatus.Running) && r.HeartbeatAt < cutoff)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Lost)
                .SetProperty(r => r.Worker, (string?)null)
                .SetProperty(r => r.Error, $"worker {worker} stopped responding at step {step}; requeued to resume from the newest checkpoint"), cancellationToken) == 1;
}
