using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Queries;

/// <summary>
/// What still needs a run or its checkpoints: other runs whose spec names them (as <c>base</c> or as a reward model in
/// <c>rewards</c>), and exports that have yet to read a checkpoint. The one place that knows how a spec names them, so
/// checkpoint retention and run deletion keep the same things.
/// </summary>
public static class CheckpointDependents
{
    /// <summary>Those of <paramref name="checkpointIds"/> that a run's spec names or a pending export still has to read.</summary>
    public static async Task<HashSet<long>> CheckpointsInUseAsync(this RlStudioDbContext db, long[] checkpointIds, CancellationToken cancellationToken)
    {
        var inUse = (await RunsNamingCheckpointsAsync(db, checkpointIds, cancellationToken)).Select(r => r.CheckpointId).ToHashSet();
        inUse.UnionWith(await db.CheckpointExports
            .Where(e => checkpointIds.Contains(e.CheckpointId) && ExportStatusExtensions.Pending.Contains(e.Status))
            .Select(e => e.CheckpointId)
            .ToListAsync(cancellationToken));
        return inUse;
    }

    /// <summary>The other runs whose spec names run <paramref name="runId"/> or one of its checkpoints, in id order.</summary>
    public static async Task<List<long>> RunsDependingOnAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var byRun = await db.Database.SqlQuery<long>($"""
            SELECT r.id AS "Value"
            FROM runs r
            WHERE r.spec @> jsonb_build_object('base', jsonb_build_object('runId', {runId}))
               OR r.spec @> jsonb_build_object('rewards', jsonb_build_array(jsonb_build_object('runId', {runId})))
            """).ToListAsync(cancellationToken);
        var checkpointIds = await db.Checkpoints.Where(c => c.RunId == runId).Select(c => c.Id).ToArrayAsync(cancellationToken);
        var byCheckpoint = (await RunsNamingCheckpointsAsync(db, checkpointIds, cancellationToken)).Select(r => r.RunId);
        return byRun.Concat(byCheckpoint).Where(id => id != runId).Distinct().Order().ToList();
    }

    /// <summary>
    /// The runs whose <c>base</c> is run <paramref name="runId"/> (checkpoint null: its newest checkpoint) or one of its
    /// checkpoints, oldest first: the runs that went on from it (a run scored by it is not one).
    /// </summary>
    public static async Task<List<BaseUse>> RunsStartingFromAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<BaseUse>($"""
            SELECT r.id AS "RunId", NULL::bigint AS "CheckpointId"
            FROM runs r
            WHERE r.spec @> jsonb_build_object('base', jsonb_build_object('runId', {runId})) AND r.id <> {runId}
            UNION ALL
            SELECT r.id AS "RunId", c.id AS "CheckpointId"
            FROM checkpoints c
            JOIN runs r ON r.spec @> jsonb_build_object('base', jsonb_build_object('checkpointId', c.id))
            WHERE c.run_id = {runId} AND r.id <> {runId}
            ORDER BY "RunId"
            """).ToListAsync(cancellationToken);

    /// <summary>(run, checkpoint) for each run whose spec names one of <paramref name="checkpointIds"/>.</summary>
    private static async Task<List<CheckpointUse>> RunsNamingCheckpointsAsync(RlStudioDbContext db, long[] checkpointIds, CancellationToken cancellationToken) =>
        checkpointIds.Length == 0 ? [] : await db.Database.SqlQuery<CheckpointUse>($"""
            SELECT r.id AS "RunId", c.id AS "CheckpointId"
            FROM unnest({checkpointIds}) AS c(id)
            JOIN runs r ON r.spec @> jsonb_build_object('base', jsonb_build_object('checkpointId', c.id))
                        OR r.spec @> jsonb_build_object('rewards', jsonb_build_array(jsonb_build_object('checkpointId', c.id)))
            """).ToListAsync(cancellationToken);

    private sealed record CheckpointUse(long RunId, long CheckpointId);
}

/// <summary>A run whose base is another run (<see cref="CheckpointId"/> null) or one of its checkpoints.</summary>
public sealed record BaseUse(long RunId, long? CheckpointId);
