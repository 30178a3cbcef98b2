using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Storage;

/// <summary>
/// A run's settings changes (<see cref="RunSettingChange"/>) and the specs they make. Changes apply in step order (a change
/// still waiting for its step boundary after every stepped one), then in the order they were asked for; refused ones
/// (a worker's error) never apply.
/// </summary>
public static class SettingChangeStore
{
    /// <summary>Every change of a run, oldest first.</summary>
    public static async Task<List<SettingChangeDto>> SettingChangesAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        (await db.RunSettingChanges.AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.Id).ToListAsync(cancellationToken))
        .Select(ToDto).ToList();

    /// <summary>The changes no worker has applied or refused yet, in the order they apply.</summary>
    public static async Task<List<SettingChangeDto>> PendingSettingChangesAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        InApplyOrder(await db.RunSettingChanges.AsNoTracking()
            .Where(c => c.RunId == runId && c.AppliedAt == null && c.Error == null).ToListAsync(cancellationToken));

    /// <summary>
    /// What a worker resuming at <paramref name="resumeStep"/> gets: the spec with every change of a step up to it, and the
    /// later changes (and those waiting for a step boundary) to apply as it goes.
    /// </summary>
    public static async Task<(RunSpec Spec, List<SettingChangeDto> Later)> SpecAtStepAsync(
        this RlStudioDbContext db, long runId, RunSpec spec, int resumeStep, CancellationToken cancellationToken)
    {
        var changes = InApplyOrder(await db.RunSettingChanges.AsNoTracking().Where(c => c.RunId == runId && c.Error == null).ToListAsync(cancellationToken));
        var passed = changes.Where(c => c.Step <= resumeStep);
        return (SettingChanges.ApplyAll(spec, passed), changes.Where(c => c.Step is null || c.Step > resumeStep).ToList());
    }

    /// <summary>The run's spec with every change asked for so far (what it trains with once all have applied); null for no run.</summary>
    public static async Task<RunSpec?> LatestSpecAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        // One round trip: the alarm monitor asks on every metric batch it checks.
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Spec, Changes = db.RunSettingChanges.Where(c => c.RunId == r.Id && c.Error == null).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        return run is null ? null : SettingChanges.ApplyAll(run.Spec, InApplyOrder(run.Changes));
    }

    /// <summary><see cref="LatestSpecAsync"/> for many runs in one query.</summary>
    public static async Task<Dictionary<long, RunSpec>> LatestSpecsAsync(
        this RlStudioDbContext db, IReadOnlyDictionary<long, RunSpec> specs, CancellationToken cancellationToken)
    {
        var ids = specs.Keys.ToList();
        var changes = await db.RunSettingChanges.AsNoTracking().Where(c => ids.Contains(c.RunId) && c.Error == null).ToListAsync(cancellationToken);
        var byRun = changes.GroupBy(c => c.RunId).ToDictionary(g => g.Key, g => InApplyOrder(g));
        return specs.ToDictionary(s => s.Key, s => byRun.TryGetValue(s.Key, out var own) ? SettingChanges.ApplyAll(s.Value, own) : s.Value);
    }

    /// <summary>
    /// Records a validated change and returns it; the run's step count (<c>runs.total_steps</c>, what progress is shown
    /// against) follows a change of <c>steps</c> in the same transaction (the caller's, when it has one).
    /// </summary>
    public static async Task<SettingChangeDto> AddSettingChangeAsync(this RlStudioDbContext db, long runId, JsonObject changes, int? step,
        long? requestedById, string? requestedBy, CancellationToken cancellationToken)
    {
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var change = new RunSettingChange
        {
            RunId = runId, Changes = changes, Step = step, RequestedById = requestedById, RequestedBy = requestedBy,
            RequestedAt = DateTimeOffset.UtcNow,
        };
        db.RunSettingChanges.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        var steps = (await db.LatestSpecAsync(runId, cancellationToken))!.Settings.Steps;
        await db.Runs.Where(r => r.Id == runId && r.TotalSteps != steps).ExecuteUpdateAsync(u => u.SetProperty(r => r.TotalSteps, steps), cancellationToken);
        if (own is not null) await own.CommitAsync(cancellationToken);
        return ToDto(change);
    }

    /// <summary>
    /// A worker applied the change from <paramref name="step"/> on, or refused it (<paramref name="error"/>). The first report
    /// counts; a repeat (a re-sent report) changes nothing. False when the run has no such change.
    /// </summary>
    public static async Task<bool> MarkSettingChangeAppliedAsync(this RlStudioDbContext db, long runId, long changeId, int step, string? error,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var marked = await db.RunSettingChanges.Where(c => c.Id == changeId && c.RunId == runId && c.AppliedAt == null && c.Error == null)
            .ExecuteUpdateAsync(u =>
            {
                if (error is null) u.SetProperty(c => c.Step, step).SetProperty(c => c.AppliedAt, now);
                else u.SetProperty(c => c.Error, PostgresText.Storable(error));
            }, cancellationToken);
        return marked == 1 || await db.RunSettingChanges.AnyAsync(c => c.Id == changeId && c.RunId == runId, cancellationToken);
    }

    private static List<SettingChangeDto> InApplyOrder(IEnumerable<RunSettingChange> changes) =>
        SettingChanges.InApplyOrder(changes.Select(ToDto)).ToList();

    private static SettingChangeDto ToDto(RunSettingChange c) =>
        new(c.Id, c.Changes, c.Step, c.RequestedBy, c.RequestedAt, c.AppliedAt, c.Error);
}
