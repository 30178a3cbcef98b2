namespace RlStudio.Web.Ui;

/// <summary>
/// Coalesces "reload the run list" requests triggered by live updates: at most one reload per
/// <see cref="Interval"/>, so a burst of RunUpdated messages costs one GET. Thread-safe.
/// </summary>
public sealed class RunListRefresher(Func<Task> reload) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Timer? _timer;
    private bool _disposed;

    /// <summary>Schedules a reload (after <see cref="Interval"/>, or right away), unless one is already pending.</summary>
    public void Request(bool immediately)
    {
        lock (_gate)
        {
            if (_disposed || _timer is not null) return;
            _timer = new Timer(_ => Fire(), null, immediately ? TimeSpan.Zero : Interval, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed) return;
        }

        _ = reload();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
