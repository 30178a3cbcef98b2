namespace RlStudio.Web.Live;

/// <summary>
/// The in-process side of live updates: pages on the server (Blazor circuits) subscribe here and get every coalesced
/// batch of deltas that <see cref="LivePushService"/> also sends to SignalR clients. Singleton; thread safe. A handler
/// runs on the push loop, so it must hand its work to its own circuit (<c>InvokeAsync</c>) and return quickly; one that
/// throws is logged and stays subscribed.
/// </summary>
public sealed class LiveFeed(ILogger<LiveFeed> logger)
{
    private readonly Lock _lock = new();
    private Func<PendingPushes, Task>[] _handlers = [];

    /// <summary>Calls <paramref name="handler"/> with each batch until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Func<PendingPushes, Task> handler)
    {
        lock (_lock) _handlers = [.. _handlers, handler];
        return new Subscription(() =>
        {
            lock (_lock) _handlers = _handlers.Where(h => h != handler).ToArray();
        });
    }

    public async Task PublishAsync(PendingPushes pending)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(pending);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A live-update subscriber failed");
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
