using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Contracts.Live;

/// <summary>
/// SignalR hub at <see cref="Path"/>. Clients call <c>JoinRun(runId)</c> / <c>LeaveRun(runId)</c> to get one
/// run's deltas, <c>JoinRunList()</c> for every run's status changes, or <c>JoinBatch(batchId)</c> for a comparison
/// batch's progress. Server → client messages:
/// </summary>
public interface IRunHubClient
{
    /// <summary>New metric points of a run (a delta, not the history).</summary>
    Task MetricsAppended(long runId, IReadOnlyList<MetricPoint> points);

    /// <summary>New rollout samples of a run.</summary>
    Task RolloutsAppended(long runId, IReadOnlyList<RolloutDto> samples);

    /// <summary>A run's status or step changed.</summary>
    Task RunUpdated(RunSummary run);

    /// <summary>A run was deleted (sent to its group and to the run list).</summary>
    Task RunDeleted(long runId);

    /// <summary>A checkpoint export of a run was queued or changed state (sent to the run's group).</summary>
    Task ExportUpdated(CheckpointExportDto export);

    /// <summary>A comparison batch's items or labels changed (sent to <c>batch:{id}</c>, after <c>JoinBatch(batchId)</c>).</summary>
    Task BatchUpdated(Labeling.BatchProgress batch);
}

/// <summary>
/// The small, frequently pushed view of a run. <see cref="SettingChanges"/> counts its settings changes asked for plus those
/// applied or refused, so it moves whenever one is made or decided (a page reloads them then, not on every push).
/// </summary>
public sealed record RunSummary(long Id, string Name, RunStatus Status, int Step, int TotalSteps, string? Error, IReadOnlyList<string>? Alarms = null,
    int SettingChanges = 0);

public static class RunHub
{
    public const string Path = "/hubs/runs";

    public static string RunGroup(long runId) => $"run:{runId}";

    public const string RunListGroup = "runs";

    public static string BatchGroup(long batchId) => $"batch:{batchId}";
}
