using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Queries;

/// <summary>What keeps a run from going on, in words a researcher acts on (shown on its page, in the list, by the API).</summary>
public static class RunWarnings
{
    /// <summary>A queued run whose queue no online worker serves.</summary>
    public static string NoWorker(string queue) =>
        $"No online worker serves queue '{queue}': the run waits until one does. Start a worker with this queue in RlStudio:Queues, or move the run to a served queue.";

    /// <summary>The warnings of a run, given the queues online workers serve (external runs are launched elsewhere and have none).</summary>
    public static IReadOnlyList<string>? Of(RunStatus status, Algorithm algorithm, string queue, IReadOnlySet<string> servedQueues) =>
        status == RunStatus.Queued && algorithm != Algorithm.External && !servedQueues.Contains(queue) ? [NoWorker(queue)] : null;
}
