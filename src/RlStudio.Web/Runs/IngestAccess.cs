using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Runs;

/// <summary>
/// What a worker key may touch through the ingest API: it speaks only as its own node; it reports on runs its node
/// claimed and exports its node took; it reads the dataset versions and checkpoints of the runs its node is training
/// (data, base, resume and reward-model checkpoints), of the exports it is writing and of the comparison batches it samples. Each check answers null (allowed)
/// or a 403 problem that says why.
/// </summary>
public sealed class IngestAccess(RlStudioDbContext db)
{
    /// <summary>The node a body names must be the caller's own (a blank name is left to the body's own validation).</summary>
    public static ProblemHttpResult? SpeaksFor(ClaimsPrincipal user, string? worker)
    {
        if (string.IsNullOrWhiteSpace(worker)) return null;
        var me = Caller.From(user).WorkerName;
        return me is not null && string.Equals(worker?.Trim(), me, StringComparison.Ordinal)
            ? null
            : Denied($"This key belongs to worker '{me}'; it cannot speak for '{worker}'.");
    }

    public async Task<ProblemHttpResult?> RunAsync(ClaimsPrincipal user, long runId, CancellationToken cancellationToken)
    {
        var me = Caller.From(user).WorkerName;
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Worker }).SingleOrDefaultAsync(cancellationToken);
        if (run is null) return null;   // the handler answers 404
        return run.Worker is not null && run.Worker == me ? null : Denied($"Run {runId} is not claimed by worker '{me}'.");
    }

    public async Task<ProblemHttpResult?> DatasetVersionAsync(ClaimsPrincipal user, long versionId, CancellationToken cancellationToken)
    {
        if (!await db.DatasetVersions.AnyAsync(v => v.Id == versionId, cancellationToken)) return null;   // the handler answers 404
        var specs = await TrainingSpecsAsync(Caller.From(user).WorkerName, cancellationToken);
        return specs.Any(s => s.Spec.DatasetVersionId == versionId)
            ? null
            : Denied($"Dataset version {versionId} belongs to no run this worker is training.");
    }

    public async Task<ProblemHttpResult?> CheckpointAsync(ClaimsPrincipal user, long checkpointId, CancellationToken cancellationToken)
    {
        var me = Caller.From(user).WorkerName;
        var owner = await db.Checkpoints.AsNoTracking().Where(c => c.Id == checkpointId).Select(c => (long?)c.RunId).SingleOrDefaultAsync(cancellationToken);
        if (owner is null) return null;   // the handler answers 404
        var runs = await TrainingSpecsAsync(me, cancellationToken);
        var allowed = runs.Any(r => r.RunId == owner || r.Spec.Base.RunId == owner || r.Spec.Base.CheckpointId == checkpointId
                                    || r.Spec.Rewards.Any(w => w.CheckpointId == checkpointId))
                      || await db.CheckpointExports.AnyAsync(e => e.CheckpointId == checkpointId && e.Status == ExportStatus.Running && e.Worker == me, cancellationToken)
                      || (await db.ComparisonBatches.AsNoTracking()
                              .Where(b => b.Status == Contracts.Labeling.ComparisonBatchStatus.Sampling && b.Worker == me)
                              .Select(b => b.Sources).ToListAsync(cancellationToken))
                          .Any(sources => sources.Any(s => s.CheckpointId == checkpointId));
        return allowed ? null : Denied($"Checkpoint {checkpointId} is needed by no run, export or comparison batch of worker '{me}'.");
    }

    /// <summary>The specs of the runs the node is training (claimed and not finished).</summary>
    private async Task<List<(long RunId, RunSpec Spec)>> TrainingSpecsAsync(string? worker, CancellationToken cancellationToken)
    {
        if (worker is null) return [];
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.Worker == worker && RunStatusExtensions.Active.Contains(r.Status))
            .Select(r => new { r.Id, r.Spec })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Spec)).ToList();
    }

    private static ProblemHttpResult Denied(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
}
