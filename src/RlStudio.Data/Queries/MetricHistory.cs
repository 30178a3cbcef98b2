using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Metrics;

namespace RlStudio.Data.Queries;

/// <summary>
/// Reads metric histories for charts, downsampled in SQL. The step range (the runs' whole history, or a zoomed
/// [from, to]) is shared by every run and key of a request, so buckets line up across the runs being compared. A range of
/// at most <c>maxPoints</c> steps comes back point by point (full detail); a longer one is cut into at most
/// <c>maxPoints</c> buckets on multiples of a summary width (<see cref="MetricBuckets"/>), each given as its last point with
/// the bucket's min and max (the band a chart draws), so spikes survive and the last step is always there. Long
/// histories are read from the bucket summaries, never point by point.
/// </summary>
public static class MetricHistory
{
    public static async Task<List<(long RunId, MetricSeries Series)>> ReadAsync(RlStudioDbContext db, IReadOnlyList<long> runIds,
        IReadOnlyCollection<string>? keys, int? from, int? to, int maxPoints, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var extents = await ExtentsAsync(connection, runIds, keys, cancellationToken);
            if (extents.Count == 0) return [];
            var lo = from ?? extents.Min(e => e.First);
            var hi = to ?? extents.Max(e => e.Last);
            var series = extents.ToDictionary(e => (e.RunId, e.Key), _ => new List<SeriesPoint>());
            if (lo <= hi)
            {
                var keyList = extents.Select(e => e.Key).Distinct().ToArray();
                await using var command = Query(connection, runIds, keyList, lo, hi, maxPoints);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (!series.TryGetValue((reader.GetInt64(0), reader.GetString(1)), out var points)) continue;
                    points.Add(reader.IsDBNull(4)
                        ? new SeriesPoint(reader.GetInt32(2), reader.GetDouble(3))
                        : new SeriesPoint(reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)));
                }
            }
            return extents.Select(e => (e.RunId, new MetricSeries(e.Key, series[(e.RunId, e.Key)]))).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record Extent(long RunId, string Key, int First, int Last);

    /// <summary>Each (run, key) with points, and its first and last step (index lookups: the last step is in latest_metrics).</summary>
    private static async Task<List<Extent>> ExtentsAsync(NpgsqlConnection connection, IReadOnlyList<long> runIds, IReadOnlyCollection<string>? keys,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT l.run_id, l.key,
                   (SELECT m.step FROM metric_points m WHERE m.run_id = l.run_id AND m.key = l.key ORDER BY m.step LIMIT 1),
                   l.step
            FROM latest_metrics l
            WHERE l.run_id = ANY(@runs) AND (@all OR l.key = ANY(@keys))
            ORDER BY array_position(@runs, l.run_id), l.key
            """, connection);
        command.Parameters.AddWithValue("runs", runIds.ToArray());
        command.Parameters.AddWithValue("all", keys is not { Count: > 0 });
        command.Parameters.AddWithValue("keys", (keys ?? []).ToArray());
        var extents = new List<Extent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(2)) continue;
            extents.Add(new Extent(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }
        return extents;
    }

    /// <summary>Rows of (run, key, step, value, min, max): min and max are null for single points.</summary>
    private static NpgsqlCommand Query(NpgsqlConnection connection, IReadOnlyList<long> runIds, string[] keys, int lo, int hi, int maxPoints)
    {
        var span = (long)hi - lo + 1;
        NpgsqlCommand command;
        if (span <= maxPoints)
        {
            command = new NpgsqlCommand(
                """
                SELECT run_id, key, step, value, NULL::float8, NULL::float8 FROM metric_points
                WHERE run_id = ANY(@runs) AND key = ANY(@keys) AND step BETWEEN @lo AND @hi
                ORDER BY run_id, key, step
                """, connection);
        }
        else
        {
            var width = MetricBuckets.WidestWithin(CeilDiv(span, maxPoints));
            var start = (int)(Math.Floor((double)lo / width) * width);   // buckets start on multiples of the width
            var stepsPerBucket = CeilDiv(CeilDiv((long)hi - start + 1, maxPoints), width) * width;
            command = new NpgsqlCommand(width == 1
                ? """
                  SELECT run_id, key, max(step), (array_agg(value ORDER BY step DESC))[1], min(value), max(value) FROM metric_points
                  WHERE run_id = ANY(@runs) AND key = ANY(@keys) AND step BETWEEN @lo AND @hi
                  GROUP BY run_id, key, (step - @start) / @per ORDER BY run_id, key, 3
                  """
                : """
                  SELECT run_id, key, max(last_step), (array_agg(last_value ORDER BY last_step DESC))[1], min(min_value), max(max_value) FROM metric_buckets
                  WHERE run_id = ANY(@runs) AND key = ANY(@keys) AND width = @width AND start_step BETWEEN @start AND @hi
                  GROUP BY run_id, key, (start_step - @start) / @per ORDER BY run_id, key, 3
                  """, connection);
            command.Parameters.AddWithValue("width", width);
            command.Parameters.AddWithValue("start", start);
            command.Parameters.AddWithValue("per", stepsPerBucket);
        }
        command.Parameters.AddWithValue("runs", runIds.ToArray());
        command.Parameters.AddWithValue("keys", keys);
        command.Parameters.AddWithValue("lo", lo);
        command.Parameters.AddWithValue("hi", hi);
        return command;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
