using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Queries;

namespace RlStudio.Data.Storage;

/// <summary>Reads metric keys and series (points are written by <see cref="MetricWriter"/>).</summary>
public static class MetricStore
{
    /// <summary>The metric keys a run has reported, in ordinal order.</summary>
    public static Task<List<string>> MetricKeysAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        db.LatestMetrics.AsNoTracking().Where(m => m.RunId == runId).Select(m => m.Key).OrderBy(k => k).ToListAsync(cancellationToken);

    /// <summary>The metric keys any run reports (its latest values), in ordinal order, at most <paramref name="limit"/>.</summary>
    public static async Task<List<string>> AllMetricKeysAsync(this RlStudioDbContext db, int limit, CancellationToken cancellationToken) =>
        (await db.LatestMetrics.AsNoTracking().Select(m => m.Key).Distinct().OrderBy(k => k).Take(limit).ToListAsync(cancellationToken))
        .Order(StringComparer.Ordinal).ToList();

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
