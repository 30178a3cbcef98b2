using RlStudio.Contracts.Launchers;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Data.Queries;

/// <summary>Reads runs as <see cref="RunDto"/>s (never entities) with their latest metric values.</summary>
public static class RunQueries
{
    public static async Task<List<RunDto>> ListRunsAsync(
        this RlStudioDbContext db, RunStatus? status, string? experiment, int limit, CancellationToken cancellationToken, string? tag = null)
    {
        var query = db.Runs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(tag))
        {
            query = query.Where(r => r.Tags.Contains(tag));
        }
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(experiment))
        {
            query = query.Where(r => r.Experiment!.Name == experiment);
        }
        var rows = await Project(query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit)).ToListAsync(cancellationToken);
        return await WithLatestMetricsAsync(db, rows, cancellationToken);
    }

    public static async Task<RunDto?> GetRunAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var rows = await Project(db.Runs.AsNoTracking().Where(r => r.Id == runId)).ToListAsync(cancellationToken);
        return (await WithLatestMetricsAsync(db, rows, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The columns a run summary push needs, its alarm kinds with them (one query: it runs on every progress report).</summary>
    public static async Task<RunSummaryRow?> GetRunSummaryAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var row = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new
            {
                Summary = new RunSummaryRow(r.Id, r.Name, r.Status, r.Step, r.TotalSteps, r.Error, null),
                Alarms = db.RunAlarms.Where(a => a.RunId == r.Id).OrderBy(a => a.Kind).Select(a => a.Kind).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : row.Summary with { Alarms = row.Alarms.Count == 0 ? null : row.Alarms };
    }

    private static IQueryable<RunRow> Project(IQueryable<Run> runs) => runs.Select(r => new RunRow(
        r.Id, r.Name, r.Experiment!.Name, r.Algorithm, r.Status, r.Step, r.TotalSteps, r.Queue, r.Priority, r.Seed,
        r.DatasetId, r.Dataset == null ? null : r.Dataset.Name, r.Spec, r.Worker, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt, r.Notes, r.Tags,
        r.Params, r.Launch));

    private static async Task<List<RunDto>> WithLatestMetricsAsync(RlStudioDbContext db, List<RunRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var latest = await db.LatestMetrics.AsNoTracking()
            .Where(m => ids.Contains(m.RunId))
            .Select(m => new { m.RunId, m.Key, m.Value })
            .ToListAsync(cancellationToken);
        var byRun = latest.GroupBy(m => m.RunId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(m => m.Key, m => m.Value));
        var clusterIds = rows.Where(r => r.Launch is not null).Select(r => r.Launch!.ClusterId).Distinct().ToList();
        var clusters = clusterIds.Count == 0 ? [] : await db.RayClusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var served = rows.Any(r => r.Status == RunStatus.Queued) ? await db.ServedQueuesAsync(cancellationToken) : [];
        var alarms = await db.AlarmKindsAsync(ids, cancellationToken);
        // Settings and reward weights as they stand, with the changes made while the run trained.
        var specs = await db.LatestSpecsAsync(rows.ToDictionary(r => r.Id, r => r.Spec), cancellationToken);
        return rows.Select(r => new RunDto(
            r.Id, r.Name, r.Experiment, r.Algorithm, r.Status, r.Step, r.TotalSteps, r.Queue, r.Priority, r.Seed,
            r.DatasetId, r.DatasetName, r.Spec.Base, specs[r.Id].Rewards, specs[r.Id].Settings, r.Worker, r.Error,
            r.CreatedAt, r.StartedAt, r.FinishedAt,
            byRun.GetValueOrDefault(r.Id) ?? new Dictionary<string, double>(), r.Notes, r.Tags,
            r.Algorithm == Algorithm.External ? r.Params : null,
            r.Launch is { } l ? new RunLaunchDto("ray", clusters.GetValueOrDefault(l.ClusterId) ?? $"cluster {l.ClusterId}", l.Entrypoint, l.SubmissionId, l.JobStatus, l.Message)
                : null,
            RunWarnings.Of(r.Status, r.Algorithm, r.Queue, served), alarms.GetValueOrDefault(r.Id))).ToList();
    }

    private sealed record RunRow(
        long Id, string Name, string Experiment, Algorithm Algorithm, RunStatus Status, int Step, int TotalSteps, string Queue,
        int Priority, long Seed, long? DatasetId, string? DatasetName, RunSpec Spec, string? Worker, string? Error,
        DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Notes, List<string> Tags,
        Dictionary<string, string> Params, RunLaunch? Launch);
}

/// <summary>The columns of a run that a <c>RunSummary</c> push needs.</summary>
public sealed record RunSummaryRow(long Id, string Name, RunStatus Status, int Step, int TotalSteps, string? Error, IReadOnlyList<string>? Alarms);
