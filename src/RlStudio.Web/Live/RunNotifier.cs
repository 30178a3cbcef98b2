using Microsoft.AspNetCore.SignalR;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;

namespace RlStudio.Web.Live;

/// <summary>
/// Pushes run deltas to SignalR groups. A failed push is logged, never thrown: the data is already stored and
/// clients catch up over REST. Singleton; thread safe (IHubContext is).
/// </summary>
public sealed class RunNotifier(IHubContext<RunsHub, IRunHubClient> hub, ILogger<RunNotifier> logger)
{
    public Task MetricsAppendedAsync(long runId, IReadOnlyList<MetricPoint> points) =>
        SafeAsync(() => hub.Clients.Group(RunHub.RunGroup(runId)).MetricsAppended(runId, points), runId);

    public Task RolloutsAppendedAsync(long runId, IReadOnlyList<RolloutDto> samples) =>
        SafeAsync(() => hub.Clients.Group(RunHub.RunGroup(runId)).RolloutsAppended(runId, samples), runId);

    public Task RunUpdatedAsync(RunSummary run) =>
        SafeAsync(() => hub.Clients.Groups(RunHub.RunGroup(run.Id), RunHub.RunListGroup).RunUpdated(run), run.Id);

    /// <summary>Reads the run's current summary and pushes it (no-op when the run is gone).</summary>
    public async Task RunUpdatedAsync(RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        if (await db.GetRunSummaryAsync(runId, cancellationToken) is { } row)
        {
            await RunUpdatedAsync(new RunSummary(row.Id, row.Name, row.Status, row.Step, row.TotalSteps, row.Error));
        }
    }

    private async Task SafeAsync(Func<Task> push, long runId)
    {
        try
        {
            await push();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Push for run {RunId} failed", runId);
        }
    }
}
