namespace RlStudio.Contracts.Workers;

/// <summary>
/// A run queue as <c>GET /api/queues</c> shows it: the runs waiting on it (queued, not yet claimed), when the oldest of
/// them was created, and the online workers that serve it. Waiting runs with no worker are stuck until one comes.
/// </summary>
public sealed record QueueDto(string Name, int Waiting, DateTimeOffset? OldestWaitingSince, IReadOnlyList<string> Workers)
{
    /// <summary>Runs wait on it and no online worker serves it.</summary>
    public bool Stuck => Waiting > 0 && Workers.Count == 0;
}
