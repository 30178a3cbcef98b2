using Microsoft.AspNetCore.SignalR;
using RlStudio.Contracts.Live;

namespace RlStudio.Web.Live;

/// <summary>
/// The live hub at <see cref="RunHub.Path"/>: clients only join and leave groups. Thin and stateless; all
/// pushes go through <see cref="RunNotifier"/> (IHubContext). Full histories come from REST.
/// </summary>
public sealed class RunsHub : Hub<IRunHubClient>
{
    public Task JoinRun(long runId) => Groups.AddToGroupAsync(Context.ConnectionId, RunHub.RunGroup(runId));

    public Task LeaveRun(long runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunHub.RunGroup(runId));

    public Task JoinRunList() => Groups.AddToGroupAsync(Context.ConnectionId, RunHub.RunListGroup);

    public Task JoinBatch(long batchId) => Groups.AddToGroupAsync(Context.ConnectionId, RunHub.BatchGroup(batchId));
}
