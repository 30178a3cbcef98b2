using Microsoft.AspNetCore.SignalR;
using RlStudio.Contracts.Live;

namespace RlStudio.Web.Live;

/// <summary>
/// Sends what <see cref="RunNotifier"/> queued as soon as something is (so a lone report reaches dashboards within
/// milliseconds), then rests <see cref="MinGap"/> so that under load deltas are coalesced into at most one push per gap: MetricsAppended and RolloutsAppended to
/// <c>run:{id}</c>, RunUpdated to <c>run:{id}</c> and <c>runs</c>, ExportUpdated to <c>run:{id}</c>, RunDeleted to <c>run:{id}</c> and <c>runs</c>. A failed push is logged, never retried: clients
/// catch up over REST. The same batch then goes to the server's own pages (<see cref="LiveFeed"/>).
/// </summary>
public sealed class LivePushService(RunNotifier notifier, IHubContext<RunsHub, IRunHubClient> hub, LiveFeed feed, LiveBackplane backplane,
    ILogger<LivePushService> logger) : BackgroundService
{
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(40);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        backplane.PushLocally = PushAsync;
        try
        {
            while (true)
            {
                await notifier.WaitForPendingAsync(stoppingToken);
                await FlushAsync();
                await Task.Delay(MinGap, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        var pending = notifier.Drain();
        if (pending.IsEmpty)
        {
            return;
        }
        await PushAsync(pending);
        await backplane.PublishAsync(pending, CancellationToken.None);
    }

    /// <summary>A batch to this host's SignalR clients and server pages (this host's own, or another host's from the backplane).</summary>
    public async Task PushAsync(PendingPushes pending)
    {
        foreach (var (runId, run) in pending.Runs)
        {
            await SafeAsync(() => hub.Clients.Groups(RunHub.RunGroup(runId), RunHub.RunListGroup).RunUpdated(run), runId);
        }
        foreach (var (runId, points) in pending.Metrics)
        {
            await SafeAsync(() => hub.Clients.Group(RunHub.RunGroup(runId)).MetricsAppended(runId, points), runId);
        }
        foreach (var (runId, samples) in pending.Rollouts)
        {
            await SafeAsync(() => hub.Clients.Group(RunHub.RunGroup(runId)).RolloutsAppended(runId, samples), runId);
        }
        foreach (var runId in pending.Deleted)
        {
            await SafeAsync(() => hub.Clients.Groups(RunHub.RunGroup(runId), RunHub.RunListGroup).RunDeleted(runId), runId);
        }
        foreach (var export in pending.Exports.Values)
        {
            await SafeAsync(() => hub.Clients.Group(RunHub.RunGroup(export.RunId)).ExportUpdated(export), export.RunId);
        }
        foreach (var (batchId, batch) in pending.Batches)
        {
            await SafeAsync(() => hub.Clients.Group(RunHub.BatchGroup(batchId)).BatchUpdated(batch), batchId);
        }
        await feed.PublishAsync(pending);
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
