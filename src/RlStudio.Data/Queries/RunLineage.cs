using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Queries;

/// <summary>
/// A run's lineage (<see cref="RunLineageDto"/>): up the chain of bases (a checkpoint names its run; <c>{"runId"}</c> the
/// run itself) to a preset or model folder, and down to the runs that start from it. A run or checkpoint another run
/// starts from cannot be deleted (<see cref="CheckpointDependents"/>), so the chain has no gaps; it is cut at
/// <see cref="MaxDepth"/> links all the same.
/// </summary>
public static class RunLineage
{
    /// <summary>The most ancestors followed (a longer chain ends with the last one read, its own base as the origin).</summary>
    public const int MaxDepth = 100;

    /// <summary>The lineage of <paramref name="runId"/>, or null when there is no such run.</summary>
    public static async Task<RunLineageDto?> ReadLineageAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var spec = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Spec).SingleOrDefaultAsync(cancellationToken);
        if (spec is null) return null;
        var start = spec.Base;
        var ancestors = new List<LineageLink>();
        var seen = new HashSet<long> { runId };
        var origin = start;
        while (ancestors.Count < MaxDepth && await ParentAsync(db, origin, cancellationToken) is { } parent && seen.Add(parent.Link.RunId))
        {
            ancestors.Add(parent.Link);
            origin = parent.Base;
        }
        var children = await db.RunsStartingFromAsync(runId, cancellationToken);
        var childIds = children.Select(c => c.RunId).ToList();
        var childRuns = await db.Runs.AsNoTracking().Where(r => childIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => new { r.Name, r.Algorithm, r.Status }, cancellationToken);
        var checkpointIds = children.Where(c => c.CheckpointId is not null).Select(c => c.CheckpointId!.Value).ToList();
        var steps = await db.Checkpoints.AsNoTracking().Where(c => checkpointIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Step, cancellationToken);
        var descendants = children.Where(c => childRuns.ContainsKey(c.RunId)).Select(c =>
        {
            var run = childRuns[c.RunId];
            return new LineageLink(c.RunId, run.Name, run.Algorithm, run.Status, c.CheckpointId,
                c.CheckpointId is { } id && steps.TryGetValue(id, out var step) ? step : null);
        }).ToList();
        return new RunLineageDto(runId, ancestors, origin, descendants);
    }

    /// <summary>The run a base names (with the checkpoint, when it names one) and that run's own base; null for a preset or folder.</summary>
    private static async Task<(LineageLink Link, BaseModelSpec Base)?> ParentAsync(RlStudioDbContext db, BaseModelSpec spec, CancellationToken cancellationToken)
    {
        long? checkpointId = spec.CheckpointId;
        int? checkpointStep = null;
        var parentId = spec.RunId;
        if (checkpointId is { } id)
        {
            var checkpoint = await db.Checkpoints.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.RunId, c.Step }).SingleOrDefaultAsync(cancellationToken);
            if (checkpoint is null) return null;
            (parentId, checkpointStep) = (checkpoint.RunId, checkpoint.Step);
        }
        if (parentId is not { } runId) return null;
        var parent = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Id, r.Name, r.Algorithm, r.Status, r.Spec }).SingleOrDefaultAsync(cancellationToken);
        return parent is null ? null : (new LineageLink(parent.Id, parent.Name, parent.Algorithm, parent.Status, checkpointId, checkpointStep), parent.Spec.Base);
    }
}
