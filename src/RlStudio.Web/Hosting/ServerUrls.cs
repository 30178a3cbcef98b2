using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RlStudio.Web.Hosting;

/// <summary>
/// The address this host listens on, for child processes (the embedded worker) that call back into it.
/// Known once the server has started. Thread safe (read-only after start).
/// </summary>
public sealed class ServerUrls(IServer server, IHostApplicationLifetime lifetime)
{
    /// <summary>Waits for the server to start, then returns its first address with a wildcard host replaced by 127.0.0.1 (http preferred).</summary>
    public async Task<Uri> WaitForBaseAddressAsync(CancellationToken cancellationToken)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var onStart = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await using var onCancel = cancellationToken.Register(() => started.TrySetCanceled(cancellationToken));
            await started.Task;
        }
        return BaseAddress ?? throw new InvalidOperationException("The server reports no listening address.");
    }

    /// <summary>The address, or null before start (or under a test server without addresses).</summary>
    public Uri? BaseAddress
    {
        get
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
            if (chosen is null)
            {
                return null;
            }
            var normalized = chosen.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
                .Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
            return new Uri(normalized);
        }
    }
}
