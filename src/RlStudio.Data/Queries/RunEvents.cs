using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Queries;

/// <summary>
/// A run's timeline, newest first, gathered from where each kind of event is kept: the status history (a trigger on
/// <c>runs.status</c>), the audit log (who did what to the run), settings changes, checkpoints (those retention kept) and
/// alarms.
/// </summary>
public static class RunEvents
{
    /// <summary>The newest <paramref name="limit"/> events of the run.</summary>
    public static async Task<List<RunEventDto>> RunEventsAsync(this RlStudioDbContext db, long runId, int limit, CancellationToken cancellationToken)
    {
        var target = runId.ToString(CultureInfo.InvariantCulture);
        var statuses = (await db.RunStatusChanges.AsNoTracking().Where(c => c.RunId == runId).OrderByDescending(c => c.Id).Take(limit)
            .ToListAsync(cancellationToken))
            .Select(c => new RunEventDto(c.At, RunEventKind.Status, c.Step, c.Error is null ? $"{c.Status}" : $"{c.Status}: {c.Error}", c.Worker));
        var actions = await db.AuditLog.AsNoTracking().Where(a => a.TargetType == "run" && a.TargetId == target)
            .OrderByDescending(a => a.Id).Take(limit).Select(a => new { a.At, a.Action, a.Actor }).ToListAsync(cancellationToken);
        var changes = await db.RunSettingChanges.AsNoTracking().Where(c => c.RunId == runId).OrderByDescending(c => c.Id).Take(limit)
            .ToListAsync(cancellationToken);
        var checkpoints = await db.Checkpoints.AsNoTracking().Where(c => c.RunId == runId).OrderByDescending(c => c.Step).Take(limit)
            .Select(c => new RunEventDto(c.CreatedAt, RunEventKind.Checkpoint, c.Step, "checkpoint saved", null)).ToListAsync(cancellationToken);
        var alarms = await db.RunAlarms.AsNoTracking().Where(a => a.RunId == runId).OrderByDescending(a => a.Id).Take(limit)
            .Select(a => new RunEventDto(a.RaisedAt, RunEventKind.Alarm, a.Step, a.Kind + ": " + a.Message, null)).ToListAsync(cancellationToken);
        return statuses
            .Concat(actions.Select(a => new RunEventDto(a.At, RunEventKind.Action, null, ActionText(a.Action), a.Actor)))
            .Concat(changes.Select(c => new RunEventDto(c.AppliedAt ?? c.RequestedAt, RunEventKind.Settings, c.Step, SettingsText(c), c.RequestedBy)))
            .Concat(checkpoints)
            .Concat(alarms)
            .OrderByDescending(e => e.At)
            .Take(limit)
            .ToList();
    }

    private static string ActionText(string action) => action.StartsWith("run.", StringComparison.Ordinal) ? action["run.".Length..] : action;

    private static string SettingsText(Entities.RunSettingChange change)
    {
        var what = string.Join(", ", change.Changes.Select(c => $"{c.Key} = {c.Value?.ToJsonString()}"));
        return change switch
        {
            { Error: { } error } => $"settings change not applied ({error}): {what}",
            { AppliedAt: not null } => $"settings changed from step {change.Step}: {what}",
            { Step: { } step } => $"settings change for step {step}: {what}",
            _ => $"settings change waiting for the next step: {what}",
        };
    }
}
