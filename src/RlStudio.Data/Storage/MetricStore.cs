using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Queries;

namespace RlStudio.Data.Storage;

/// <summary>
/// Writes metric points idempotently — binary COPY into a per-connection staging table, then one set-based upsert — and
/// reads (downsampled) series.
/// </summary>
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
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var ambient = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            var transaction = ambient ?? await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await using (var staging = new NpgsqlCommand(
                    "CREATE TEMP TABLE IF NOT EXISTS metric_staging (key text, step integer, value double precision, time timestamptz) ON COMMIT DELETE ROWS",
                    connection, transaction))
                {
                    await staging.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var import = await connection.BeginBinaryImportAsync("COPY metric_staging (key, step, value, time) FROM STDIN (FORMAT BINARY)", cancellationToken))
                {
                    foreach (var (point, time) in unique)
                    {
                        await import.StartRowAsync(cancellationToken);
                        await import.WriteAsync(point.Key, NpgsqlDbType.Text, cancellationToken);
                        await import.WriteAsync(point.Step, NpgsqlDbType.Integer, cancellationToken);
                        await import.WriteAsync(point.Value, NpgsqlDbType.Double, cancellationToken);
                        await import.WriteAsync((time ?? now).ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                    }
                    await import.CompleteAsync(cancellationToken);
                }
                await using (var upsert = new NpgsqlCommand(UpsertFromStaging, connection, transaction))
                {
                    upsert.Parameters.AddWithValue("run", runId);
                    upsert.Parameters.AddWithValue("widths", MetricBuckets.Widths);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }
                if (ambient is null) await transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                if (ambient is null) await transaction.DisposeAsync();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return unique.Select(p => p.Point).ToList();
    }

    /// <summary>
    /// The staged points (unique by key and step) into <c>metric_points</c>, their buckets (<see cref="MetricBuckets"/>) and
    /// <c>latest_metrics</c>, set-based. A bucket's band only widens: a point written again with another value keeps the
    /// old extreme until the history is rebuilt.
    /// </summary>
    private const string UpsertFromStaging =
        """
        INSERT INTO metric_points (run_id, key, step, value, time)
        SELECT @run, s.key, s.step, s.value, s.time FROM metric_staging s
        ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, time = excluded.time;

        INSERT INTO metric_buckets (run_id, key, width, start_step, min_value, max_value, last_step, last_value)
        SELECT @run, s.key, w.width, (s.step / w.width) * w.width, min(s.value), max(s.value), max(s.step), (array_agg(s.value ORDER BY s.step DESC))[1]
        FROM metric_staging s CROSS JOIN unnest(@widths) AS w(width)
        GROUP BY s.key, w.width, s.step / w.width
        ON CONFLICT (run_id, key, width, start_step) DO UPDATE SET
            min_value = least(metric_buckets.min_value, excluded.min_value),
            max_value = greatest(metric_buckets.max_value, excluded.max_value),
            last_value = CASE WHEN excluded.last_step >= metric_buckets.last_step THEN excluded.last_value ELSE metric_buckets.last_value END,
            last_step = greatest(metric_buckets.last_step, excluded.last_step);

        INSERT INTO latest_metrics (run_id, key, step, value)
        SELECT DISTINCT ON (s.key) @run, s.key, s.step, s.value FROM metric_staging s
        ORDER BY s.key, s.step DESC
        ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, value = excluded.value
        WHERE latest_metrics.step <= excluded.step;
        """;

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

    /// <summary>
    /// The series of <paramref name="keys"/> (all keys of the run when null) over the steps [<paramref name="from"/>,
    /// <paramref name="to"/>] (the whole history when null), each at most <paramref name="maxPoints"/> long (see <see cref="MetricHistory"/>).
    /// </summary>
    public static async Task<MetricsResponse> ReadSeriesAsync(this RlStudioDbContext db, long runId, IReadOnlyCollection<string>? keys, int maxPoints,
        CancellationToken cancellationToken, int? from = null, int? to = null)
    {
        var series = await MetricHistory.ReadAsync(db, [runId], keys, from, to, maxPoints, cancellationToken);
        return new MetricsResponse(series.Select(s => s.Series).ToList());
    }
}
