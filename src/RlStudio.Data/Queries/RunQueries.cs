using RlStudio.Contracts.Launchers;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Data.Queries;

/// <summary>Reads runs as <see cref="RunDto"/>s (never entities) with their latest metric values.</summary>
public static class RunQueries
{
    /// <summary>
    /// The page of runs <paramref name="options"/> asks for and how many match its filters. Every order ends with the id
    /// (same direction), so pages never overlap; a metric order puts runs without that metric last, whichever direction.
    /// </summary>
    public static async Task<RunListPage> ListRunsAsync(this RlStudioDbContext db, RunListOptions options, CancellationToken cancellationToken)
    {
        var query = Filtered(db.Runs.AsNoTracking(), options);
        var total = await query.CountAsync(cancellationToken);
        var ordered = Ordered(db, query, options.Sort ?? RunListSort.Default);
        var rows = await Project(ordered.Skip(options.Offset).Take(options.Limit)).ToListAsync(cancellationToken);
        return new RunListPage(await WithLatestMetricsAsync(db, rows, cancellationToken), total);
    }

    private static IQueryable<Run> Filtered(IQueryable<Run> query, RunListOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Tag))
        {
            var tag = options.Tag.Trim();
            query = query.Where(r => r.Tags.Contains(tag));
        }
        if (options.Status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(options.Experiment))
        {
            query = query.Where(r => r.Experiment!.Name == options.Experiment);
        }
        if (!string.IsNullOrWhiteSpace(options.Search))
        {
            var pattern = "%" + PostgresText.EscapeLike(options.Search.Trim()) + "%";
            query = query.Where(r => EF.Functions.ILike(r.Name, pattern, PostgresText.LikeEscape)
                || r.Tags.Any(t => EF.Functions.ILike(t, pattern, PostgresText.LikeEscape)));
        }
        return query;
    }

    private static IQueryable<Run> Ordered(RlStudioDbContext db, IQueryable<Run> query, RunListSort sort)
    {
        if (sort.Field == RunSortField.Metric)
        {
            // A left join on latest_metrics' key (run_id, key): one lookup per run, runs without the metric last.
            var key = sort.MetricKey!;
            var joined = from r in query
                         join m in db.LatestMetrics.Where(m => m.Key == key) on r.Id equals m.RunId into metrics
                         from m in metrics.DefaultIfEmpty()
                         select new { Run = r, Value = (double?)m!.Value };
            var byValue = joined.OrderBy(x => x.Value == null);
            return (sort.Descending
                    ? byValue.ThenByDescending(x => x.Value).ThenByDescending(x => x.Run.Id)
                    : byValue.ThenBy(x => x.Value).ThenBy(x => x.Run.Id))
                .Select(x => x.Run);
        }
        return sort.Field switch
        {
            RunSortField.Created => By(query, r => r.CreatedAt, sort.Descending),
            RunSortField.Name => By(query, r => r.Name, sort.Descending),
            RunSortField.Status => By(query, r => r.Status, sort.Descending),
            RunSortField.Step => By(query, r => r.Step, sort.Descending),
            RunSortField.Algorithm => By(query, r => r.Algorithm, sort.Descending),
            RunSortField.Experiment => By(query, r => r.Experiment!.Name, sort.Descending),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort.Field, null),
        };

        static IQueryable<Run> By<TKey>(IQueryable<Run> runs, System.Linq.Expressions.Expression<Func<Run, TKey>> key, bool descending) =>
            descending ? runs.OrderByDescending(key).ThenByDescending(r => r.Id) : runs.OrderBy(key).ThenBy(r => r.Id);
    }

    public static async Task<RunDto?> GetRunAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var rows = await Project(db.Runs.AsNoTracking().Where(r => r.Id == runId)).ToListAsync(cancellationToken);
        return (await WithLatestMetricsAsync(db, rows, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The columns a run summary push needs, its alarm kinds and settings-change count with them (one query: it runs on every progress report).</summary>
    public static async Task<RunSummaryRow?> GetRunSummaryAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var row = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new
            {
                Summary = new RunSummaryRow(r.Id, r.Name, r.Status, r.Step, r.TotalSteps, r.Error, null),
                Alarms = db.RunAlarms.Where(a => a.RunId == r.Id).OrderBy(a => a.Kind).Select(a => a.Kind).ToList(),
                // Moves when a change is asked for and again when it is applied or refused: 1 for each, 1 more once done.
                SettingChanges = db.RunSettingChanges.Where(c => c.RunId == r.Id).Sum(c => c.AppliedAt != null || c.Error != null ? 2 : 1),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : row.Summary with { Alarms = row.Alarms.Count == 0 ? null : row.Alarms, SettingChanges = row.SettingChanges };
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
public sealed record RunSummaryRow(long Id, string Name, RunStatus Status, int Step, int TotalSteps, string? Error, IReadOnlyList<string>? Alarms,
    int SettingChanges = 0);
