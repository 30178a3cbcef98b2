using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Queries;

namespace RlStudio.Data.Storage;

/// <summary>
/// Checkpoint retention: a run keeps its newest <see cref="RunSettings.KeepLastCheckpoints"/> checkpoints and the
/// <see cref="RunSettings.KeepBestCheckpoints"/> that rank best by <see cref="RunSettings.BestCheckpointMetric"/>
/// (its newest value at or before each checkpoint's step); the rest are deleted with their content. A checkpoint that
/// another run names (as its base or its reward model), or that a pending export still has to read, is never deleted.
/// K = 0 keeps every checkpoint.
/// </summary>
public static class CheckpointRetention
{
    /// <summary>Applies the run's retention settings; returns the ids of the checkpoints it deleted.</summary>
    public static async Task<IReadOnlyList<long>> ApplyRetentionAsync(
        this RlStudioDbContext db, long runId, RunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.KeepLastCheckpoints == 0)
        {
            return [];
        }
        var checkpoints = await db.Checkpoints.AsNoTracking()
            .Where(c => c.RunId == runId)
            .OrderByDescending(c => c.Step)
            .Select(c => new RankedCheckpoint(c.Id, c.Step))
            .ToListAsync(cancellationToken);
        if (checkpoints.Count <= settings.KeepLastCheckpoints)
        {
            return [];
        }
        var keep = checkpoints.Take(settings.KeepLastCheckpoints).Select(c => c.Id).ToHashSet();
        if (settings is { KeepBestCheckpoints: > 0, BestCheckpointMetric: { } metric })
        {
            keep.UnionWith(await BestAsync(db, runId, checkpoints, metric, settings.BestCheckpointGoal, settings.KeepBestCheckpoints, cancellationToken));
        }
        var candidates = checkpoints.Select(c => c.Id).Where(id => !keep.Contains(id)).ToArray();
        if (candidates.Length == 0)
        {
            return [];
        }
        var inUse = await db.CheckpointsInUseAsync(candidates, cancellationToken);
        var doomed = candidates.Where(id => !inUse.Contains(id)).ToArray();
        if (doomed.Length > 0)
        {
            // Chunks go with their checkpoint (ON DELETE CASCADE).
            await db.Checkpoints.Where(c => doomed.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        return doomed;
    }

    /// <summary>The <paramref name="count"/> checkpoints with the best metric value; those with no value yet never rank.</summary>
    private static async Task<IEnumerable<long>> BestAsync(
        RlStudioDbContext db, long runId, IReadOnlyList<RankedCheckpoint> checkpoints, string metric, MetricGoalSetting goal, int count,
        CancellationToken cancellationToken)
    {
        var series = await db.MetricPoints.AsNoTracking()
            .Where(m => m.RunId == runId && m.Key == metric)
            .OrderBy(m => m.Step)
            .Select(m => new { m.Step, m.Value })
            .ToListAsync(cancellationToken);
        var steps = series.Select(p => p.Step).ToArray();
        var scored = new List<(long Id, int Step, double Value)>();
        foreach (var checkpoint in checkpoints)
        {
            var at = Array.BinarySearch(steps, checkpoint.Step);
            var index = at >= 0 ? at : ~at - 1; // the newest point at or before the checkpoint's step
            if (index >= 0 && double.IsFinite(series[index].Value))
            {
                scored.Add((checkpoint.Id, checkpoint.Step, series[index].Value));
            }
        }
        // Ties go to the newer checkpoint.
        var ranked = goal == MetricGoalSetting.Max
            ? scored.OrderByDescending(s => s.Value).ThenByDescending(s => s.Step)
            : scored.OrderBy(s => s.Value).ThenByDescending(s => s.Step);
        return ranked.Take(count).Select(s => s.Id);
    }

    private sealed record RankedCheckpoint(long Id, int Step);
}
