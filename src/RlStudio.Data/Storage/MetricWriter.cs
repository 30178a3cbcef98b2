using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Queries;

namespace RlStudio.Data.Storage;

/// <summary>
/// Writes metric points in batches (group commit): requests queue their points; each of a few writer loops, on its own
/// long-lived connection, takes everything queued (up to <see cref="MaxPointsPerFlush"/>), binary-COPYs it into its
/// session's staging table and stores it with one set-based upsert in one transaction — <c>metric_points</c> idempotent by
/// (run, key, step) with the latest value winning, the bucket summaries (<see cref="MetricBuckets"/>) and
/// <c>latest_metrics</c> — then answers each request. Under load many requests share a transaction; alone, a request is
/// written at once. A batch that fails is retried request by request, so one bad request fails alone; an unreachable
/// database fails the waiting requests (and the next batch opens a new connection). Singleton; thread safe.
/// </summary>
public sealed class MetricWriter : IAsyncDisposable
{
    /// <summary>The most points one transaction takes (more wait for the next).</summary>
    public const int MaxPointsPerFlush = 100_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>();
    private readonly Task[] _loops;

    public MetricWriter(string connectionString, ILogger<MetricWriter> logger, int writers = 2)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _logger = logger;
        _loops = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>
    /// Stores <paramref name="points"/> of a run, each with the time it was measured (null: now); the same (key, step) twice
    /// keeps the last. Returns the de-duplicated points written, once they are committed.
    /// </summary>
    public Task<IReadOnlyList<MetricPoint>> WriteAsync(long runId, IReadOnlyList<(MetricPoint Point, DateTimeOffset? Time)> points,
        CancellationToken cancellationToken)
    {
        var unique = points
            .Select((point, order) => (point, order))
            .GroupBy(p => (p.point.Point.Key, p.point.Point.Step))
            .Select(g => g.MaxBy(p => p.order).point)
            .OrderBy(p => p.Point.Key, StringComparer.Ordinal).ThenBy(p => p.Point.Step)
            .ToList();
        if (unique.Count == 0) return Task.FromResult<IReadOnlyList<MetricPoint>>([]);
        var request = new Request(runId, unique, DateTimeOffset.UtcNow);
        if (!_queue.Writer.TryWrite(request)) throw new ObjectDisposedException(nameof(MetricWriter));
        return request.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc cref="WriteAsync(long, IReadOnlyList{ValueTuple{MetricPoint, DateTimeOffset?}}, CancellationToken)"/>
    public Task<IReadOnlyList<MetricPoint>> WriteAsync(long runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        WriteAsync(runId, points.Select(p => (p, (DateTimeOffset?)null)).ToList(), cancellationToken);

    private sealed record Request(long RunId, List<(MetricPoint Point, DateTimeOffset? Time)> Points, DateTimeOffset Received)
    {
        public TaskCompletionSource<IReadOnlyList<MetricPoint>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task WriteLoopAsync()
    {
        NpgsqlConnection? connection = null;
        var batch = new List<Request>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var count = 0;
            while (count < MaxPointsPerFlush && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
                count += request.Points.Count;
            }
            if (batch.Count == 0) continue;
            try
            {
                connection ??= await OpenAsync();
                await StoreAsync(connection, batch);
                foreach (var request in batch) request.Done.TrySetResult(request.Points.Select(p => p.Point).ToList());
            }
            catch (Exception e)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
                if (batch.Count == 1 || e is NpgsqlException { IsTransient: true })
                {
                    foreach (var request in batch) request.Done.TrySetException(e);
                    continue;
                }
                _logger.LogWarning("A batch of {Requests} metric writes failed ({Error}); writing them one by one", batch.Count, e.Message);
                foreach (var request in batch)
                {
                    try
                    {
                        connection ??= await OpenAsync();
                        await StoreAsync(connection, [request]);
                        request.Done.TrySetResult(request.Points.Select(p => p.Point).ToList());
                    }
                    catch (Exception single)
                    {
                        request.Done.TrySetException(single);
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                            connection = null;
                        }
                    }
                }
            }
        }
        if (connection is not null) await connection.DisposeAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync();
        await using var staging = new NpgsqlCommand(
            "CREATE TEMP TABLE IF NOT EXISTS metric_staging (run_id bigint, key text, step integer, value double precision, time timestamptz) ON COMMIT DELETE ROWS",
            connection);
        await staging.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task StoreAsync(NpgsqlConnection connection, IReadOnlyList<Request> batch)
    {
        // One run's (key, step) twice in a statement is an error in ON CONFLICT DO UPDATE: the later request wins.
        var rows = batch
            .SelectMany((request, order) => request.Points.Select(p => (request.RunId, p.Point, Time: p.Time ?? request.Received, order)))
            .GroupBy(r => (r.RunId, r.Point.Key, r.Point.Step))
            .Select(g => g.MaxBy(r => r.order))
            .OrderBy(r => r.RunId).ThenBy(r => r.Point.Key, StringComparer.Ordinal).ThenBy(r => r.Point.Step);   // one lock order for every writer
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var import = await connection.BeginBinaryImportAsync("COPY metric_staging (run_id, key, step, value, time) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (runId, point, time, _) in rows)
            {
                await import.StartRowAsync();
                await import.WriteAsync(runId, NpgsqlDbType.Bigint);
                await import.WriteAsync(point.Key, NpgsqlDbType.Text);
                await import.WriteAsync(point.Step, NpgsqlDbType.Integer);
                await import.WriteAsync(point.Value, NpgsqlDbType.Double);
                await import.WriteAsync(time.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }
            await import.CompleteAsync();
        }
        await using (var upsert = new NpgsqlCommand(UpsertFromStaging, connection, transaction))
        {
            upsert.Parameters.AddWithValue("widths", MetricBuckets.Widths);
            await upsert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// The staged points into <c>metric_points</c>, their buckets and <c>latest_metrics</c>, set-based, in (run, key, step)
    /// order (one lock order for every writer). A bucket's band only widens: a point written again with another value
    /// keeps the old extreme.
    /// </summary>
    private const string UpsertFromStaging =
        """
        INSERT INTO metric_points (run_id, key, step, value, time)
        SELECT s.run_id, s.key, s.step, s.value, s.time FROM metric_staging s
        ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, time = excluded.time;

        INSERT INTO metric_buckets (run_id, key, width, start_step, min_value, max_value, last_step, last_value)
        SELECT s.run_id, s.key, w.width, (s.step / w.width) * w.width, min(s.value), max(s.value), max(s.step),
               (max(ARRAY[s.step::float8, s.value]))[2]
        FROM metric_staging s CROSS JOIN unnest(@widths) AS w(width)
        GROUP BY s.run_id, s.key, w.width, s.step / w.width
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (run_id, key, width, start_step) DO UPDATE SET
            min_value = least(metric_buckets.min_value, excluded.min_value),
            max_value = greatest(metric_buckets.max_value, excluded.max_value),
            last_value = CASE WHEN excluded.last_step >= metric_buckets.last_step THEN excluded.last_value ELSE metric_buckets.last_value END,
            last_step = greatest(metric_buckets.last_step, excluded.last_step);

        INSERT INTO latest_metrics (run_id, key, step, value)
        SELECT s.run_id, s.key, max(s.step), (max(ARRAY[s.step::float8, s.value]))[2] FROM metric_staging s
        GROUP BY s.run_id, s.key
        ORDER BY 1, 2
        ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, value = excluded.value
        WHERE latest_metrics.step <= excluded.step;
        """;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
        await _dataSource.DisposeAsync();
    }
}
