namespace RlStudio.Contracts.Jobs;

/// <summary>
/// How a run's queue and priority become Hangfire queues. Hangfire's PostgreSQL storage hands a free worker the
/// oldest job of the alphabetically first queue it serves, so a run is enqueued on <c>p{rank}_{queue}</c> with the rank
/// counting down from the highest priority: <c>p00_default</c> (priority ≥ 9) before <c>p09_default</c> (0) before
/// <c>p18_default</c> (≤ −9). A worker serves every rank of its queues, so higher priorities start first (then the
/// older run), whatever queue they are on. Priorities beyond ±<see cref="MaxPriority"/> order as ±<see cref="MaxPriority"/>.
/// </summary>
public static class JobQueues
{
    public const int MaxPriority = 9;

    /// <summary>The Hangfire queue that trains a run of <paramref name="queue"/> with <paramref name="priority"/>.</summary>
    public static string ForRun(string queue, int priority) =>
        $"p{MaxPriority - Math.Clamp(priority, -MaxPriority, MaxPriority):D2}_{queue}";

    /// <summary>
    /// Every Hangfire queue a worker serving <paramref name="queues"/> listens on: each priority rank of each queue, and
    /// the plain queue names (checkpoint exports, and runs queued before priorities had ranks).
    /// </summary>
    public static string[] Served(IEnumerable<string> queues)
    {
        var names = queues.Distinct().ToArray();
        return [.. names, .. Enumerable.Range(-MaxPriority, 2 * MaxPriority + 1).SelectMany(p => names.Select(q => ForRun(q, p)))];
    }
}
