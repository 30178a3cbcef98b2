namespace RlStudio.Web.Hosting;

/// <summary>
/// When this web host last could not reach PostgreSQL (or started). While the database or this host was away, worker
/// nodes could not report, so their runs' heartbeats are old through no fault of theirs: the stale-run monitor judges a
/// run only once the database has been reachable for a whole stale window (<see cref="ReachableFor"/>).
/// </summary>
public sealed class DatabaseAvailability(TimeProvider time)
{
    private long _lastUnavailableTicks = time.GetUtcNow().UtcTicks;

    /// <summary>A request or a background task found the database unreachable just now.</summary>
    public void MarkUnavailable() => Interlocked.Exchange(ref _lastUnavailableTicks, time.GetUtcNow().UtcTicks);

    /// <summary>How long the database has been reachable without interruption, as far as this host saw (since start at most).</summary>
    public TimeSpan ReachableFor => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastUnavailableTicks), TimeSpan.Zero);
}
