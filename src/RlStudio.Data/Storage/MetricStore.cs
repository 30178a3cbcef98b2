using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Queries;

namespace RlStudio.Data.Storage;

/// <summary>Writes metric points idempotently and reads (downsampled) series.</summary>
public static class MetricStore
{
    /// <summary>
    /// Upserts points by (run, key, step) — writing a point again keeps one row with the latest value — and
    /// moves <c>latest_metrics</c> forward. Returns the de-duplicated points that were written.
    /// </summary>
    public static Task<IReadOnlyList<MetricPoint>> UpsertAsync(
        this RlStudioDbContext db, long runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        db.UpsertAsync(runId, points.Select(p => (p, (DateTimeOffset?)null)).ToList(), cancellationToken);

    /// <summary>As <see cref="UpsertAsync(RlStudioDbContext, long, IReadOnlyList{MetricPoint}, CancellationToken)"/>, each point with the time it was measured (null: now).</summary>
    public static async Task<IReadOnlyList<MetricPoint>> UpsertAsync(
        this RlStudioDbContext db, long runId, IReadOnlyList<(MetricPoint Point, DateTimeOffset? Time)> points, CancellationToken cancellationToken)
    {
        // The same (key, step) twice in one statement is an error in ON CONFLICT DO UPDATE: keep the last.
        var unique = points
            .Select((point, order) => (point, order))
            .GroupBy(p => (p.point.Point.Key, p.point.Point.Step))
            .Select(g => g.MaxBy(p => p.order).point)
            .OrderBy(p => p.Point.Step).ThenBy(p => p.Point.Key, StringComparer.Ordinal)
            .ToList();
        if (unique.Count == 0)
        {
            return [];
        }
        var now = DateTimeOffset.UtcNow;
        var parameters = new object[]
        {
            new NpgsqlParameter("run", runId),
            new NpgsqlParameter("keys", unique.Select(p => p.Point.Key).ToArray()),
            new NpgsqlParameter("steps", unique.Select(p => p.Point.Step).ToArray()),
            new NpgsqlParameter("values", unique.Select(p => p.Point.Value).ToArray()),
            new NpgsqlParameter("times", unique.Select(p => (p.Time ?? now).ToUniversalTime()).ToArray()),
        };
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO metric_points (run_id, key, step, value, time)
            SELECT @run, t.key, t.step, t.value, t.time FROM unnest(@keys, @steps, @values, @times) AS t(key, step, value, time)
            ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, time = excluded.time;

            INSERT INTO latest_metrics (run_id, key, step, value)
            SELECT DISTINCT ON (t.key) @run, t.key, t.step, t.value FROM unnest(@keys, @steps, @values) AS t(key, step, value)
            ORDER BY t.key, t.step DESC
            ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, value = excluded.value
            WHERE latest_metrics.step <= excluded.step;
            """,
            parameters, cancellationToken);
        return unique.Select(p => p.Point).ToList();
    }

    /// <summary>The metric keys a run has reported, in ordinal order.</summary>
    public static Task<List<string>> MetricKeysAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        db.LatestMetrics.AsNoTracking().Where(m => m.RunId == runId).Select(m => m.Key).OrderBy(k => k).ToListAsync(cancellationToken);

    /// <summary>Every point of <paramref name="keys"/>, streamed in (step, key) order, none downsampled.</summary>
    public static IAsyncEnumerable<MetricPoint> StreamPointsAsync(this RlStudioDbContext db, long runId, IReadOnlyCollection<string> keys) =>
        db.MetricPoints.AsNoTracking()
            .Where(m => m.RunId == runId && keys.Contains(m.Key))
            .OrderBy(m => m.Step).ThenBy(m => m.Key)
            .Select(m => new MetricPoint(m.Key, m.Step, m.Value))
            .AsAsyncEnumerable();

    /// <summary>The series of <paramref name="keys"/> (all keys of the run when null), in step order, each at most <paramref name="maxPoints"/> long.</summary>
    public static async Task<MetricsResponse> ReadSeriesAsync(
        this RlStudioDbContext db, long runId, IReadOnlyCollection<string>? keys, int maxPoints, CancellationToken cancellationToken)
    {
        var query = db.MetricPoints.AsNoTracking().Where(m => m.RunId == runId);
        if (keys is { Count: > 0 })
        {
            query = query.Where(m => keys.Contains(m.Key));
        }
        var rows = await query.OrderBy(m => m.Key).ThenBy(m => m.Step)
            .Select(m => new { m.Key, m.Step, m.Value })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return new MetricsResponse([]);
        }
        var firstStep = rows.Min(r => r.Step);
        var lastStep = rows.Max(r => r.Step);
        var series = rows.GroupBy(r => r.Key)
            .Select(g => new MetricSeries(g.Key, MetricDownsampler.Downsample(
                g.Select(r => new SeriesPoint(r.Step, r.Value)).ToList(), maxPoints, firstStep, lastStep)))
            .ToList();
        return new MetricsResponse(series);
    }
}
