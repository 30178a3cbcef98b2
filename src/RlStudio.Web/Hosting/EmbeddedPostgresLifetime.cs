using RlStudio.Data.Embedded;

namespace RlStudio.Web.Hosting;

/// <summary>Stops the embedded PostgreSQL cluster when the host shuts down (Ctrl+C, SIGTERM).</summary>
public sealed class EmbeddedPostgresLifetime(PostgresCluster cluster, ILogger<EmbeddedPostgresLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Embedded PostgreSQL on 127.0.0.1:{Port}, data in {ClusterDir}", cluster.Port, cluster.ClusterDir);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping embedded PostgreSQL");
        await cluster.StopAsync(CancellationToken.None);
    }
}
