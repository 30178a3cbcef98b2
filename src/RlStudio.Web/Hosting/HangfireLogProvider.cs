using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace RlStudio.Web.Hosting;

/// <summary>
/// Hangfire's logging through this host's loggers. Hangfire keeps its log provider in a static, so in a process that
/// starts and stops several hosts (tests; a host restarted in place) the provider can outlive the host it came from:
/// then loggers asked of it are no-ops instead of <see cref="ObjectDisposedException"/>s thrown into Hangfire's callers.
/// </summary>
public sealed class HangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
