using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;

namespace RlStudio.Web.Live;

/// <summary>
/// Queues run deltas for SignalR and wakes <see cref="LivePushService"/>, which sends them at once when it is idle and
/// coalesces what arrives while it is busy or resting (at most one flush per <see cref="LivePushService.MinGap"/>): metric
/// points and rollouts are concatenated, run summaries and exports keep the newest. Singleton; thread safe (one lock).
/// </summary>
public sealed class RunNotifier
{
    private readonly Lock _lock = new();
    private Dictionary<long, List<MetricPoint>> _metrics = [];
    private Dictionary<long, List<RolloutDto>> _rollouts = [];
    private Dictionary<long, RunSummary> _runs = [];
    private Dictionary<long, CheckpointExportDto> _exports = [];
    private Dictionary<long, Contracts.Labeling.BatchProgress> _batches = [];
    private HashSet<long> _deleted = [];
    private readonly SemaphoreSlim _queued = new(0, 1);

    /// <summary>Completes once something is queued (at once if something already is).</summary>
    public Task WaitForPendingAsync(CancellationToken cancellationToken) => _queued.WaitAsync(cancellationToken);

    /// <summary>Wakes the push service (one pending wake-up at most).</summary>
    private void Signal()
    {
        lock (_queued)
        {
            if (_queued.CurrentCount == 0) _queued.Release();
        }
    }

    public Task MetricsAppendedAsync(long runId, IReadOnlyList<MetricPoint> points)
    {
        lock (_lock)
        {
            Bucket(_metrics, runId).AddRange(points);
        }
        Signal();
        return Task.CompletedTask;
    }

    public Task RolloutsAppendedAsync(long runId, IReadOnlyList<RolloutDto> samples)
    {
        lock (_lock)
        {
            Bucket(_rollouts, runId).AddRange(samples);
        }
        Signal();
        return Task.CompletedTask;
    }

    public Task RunUpdatedAsync(RunSummary run)
    {
        lock (_lock)
        {
            _runs[run.Id] = run;
        }
        Signal();
        return Task.CompletedTask;
    }

    /// <summary>The run is gone: anything still queued for it is dropped.</summary>
    public Task RunDeletedAsync(long runId)
    {
        lock (_lock)
        {
            _deleted.Add(runId);
            _metrics.Remove(runId);
            _rollouts.Remove(runId);
            _runs.Remove(runId);
            foreach (var export in _exports.Values.Where(e => e.RunId == runId).ToList()) _exports.Remove(export.Id);
        }
        Signal();
        return Task.CompletedTask;
    }

    public Task ExportUpdatedAsync(CheckpointExportDto export)
    {
        lock (_lock)
        {
            _exports[export.Id] = export;
        }
        Signal();
        return Task.CompletedTask;
    }

    /// <summary>Reads a comparison batch's progress and queues it (the newest wins).</summary>
    public async Task BatchUpdatedAsync(RlStudioDbContext db, long batchId, CancellationToken cancellationToken)
    {
        if (await RlStudio.Data.Labeling.ComparisonBatchStore.GetBatchProgressAsync(db, batchId, cancellationToken) is { } progress)
        {
            lock (_lock)
            {
                _batches[batchId] = progress;
            }
            Signal();
        }
    }

    /// <summary>Reads the run's current summary and queues it (no-op when the run is gone).</summary>
    public async Task RunUpdatedAsync(RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        if (await db.GetRunSummaryAsync(runId, cancellationToken) is { } row)
        {
            await RunUpdatedAsync(new RunSummary(row.Id, row.Name, row.Status, row.Step, row.TotalSteps, row.Error, row.Alarms, row.SettingChanges));
        }
    }

    /// <summary>Takes everything queued so far.</summary>
    public PendingPushes Drain()
    {
        lock (_lock)
        {
            var pending = new PendingPushes(_metrics, _rollouts, _runs, _exports, _deleted, _batches);
            _batches = [];
            _metrics = [];
            _rollouts = [];
            _runs = [];
            _exports = [];
            _deleted = [];
            return pending;
        }
    }

    private static List<T> Bucket<T>(Dictionary<long, List<T>> map, long runId)
    {
        if (!map.TryGetValue(runId, out var list))
        {
            map[runId] = list = [];
        }
        return list;
    }
}

/// <summary>Deltas queued since the last flush, by run (exports by export id).</summary>
public sealed record PendingPushes(
    IReadOnlyDictionary<long, List<MetricPoint>> Metrics,
    IReadOnlyDictionary<long, List<RolloutDto>> Rollouts,
    IReadOnlyDictionary<long, RunSummary> Runs,
    IReadOnlyDictionary<long, CheckpointExportDto> Exports,
    IReadOnlySet<long> Deleted,
    IReadOnlyDictionary<long, Contracts.Labeling.BatchProgress> Batches)
{
    public bool IsEmpty => Metrics.Count == 0 && Rollouts.Count == 0 && Runs.Count == 0 && Exports.Count == 0 && Deleted.Count == 0 && Batches.Count == 0;
}
