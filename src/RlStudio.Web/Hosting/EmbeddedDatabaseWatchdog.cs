using RlStudio.Data.Embedded;

namespace RlStudio.Web.Hosting;

/// <summary>
/// In the all-in-one mode, keeps the private PostgreSQL up: every <see cref="CheckEvery"/> it checks the server and starts it
/// again if it stopped on its own (crashed, killed by the OOM killer). Meanwhile the API answers 503 and nodes keep their
/// reports; nothing is lost.
/// </summary>
public sealed class EmbeddedDatabaseWatchdog(PostgresCluster cluster, DatabaseAvailability availability, ILogger<EmbeddedDatabaseWatchdog> logger)
    : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await cluster.EnsureRunningAsync(stoppingToken))
                {
                    availability.MarkUnavailable();
                    logger.LogWarning("Embedded PostgreSQL had stopped; started it again (it recovered from its log)");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Embedded PostgreSQL is down and could not be started again; retrying in {Delay}", CheckEvery);
            }
        }
    }
}
