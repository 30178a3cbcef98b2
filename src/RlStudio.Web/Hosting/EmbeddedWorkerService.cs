using Microsoft.Extensions.Options;
using RlStudio.Data.Embedded;

namespace RlStudio.Web.Hosting;

/// <summary>
/// HOOK for all-in-one mode: starts the worker program as a child process once the web host listens, and
/// stops it on shutdown. Active only with the embedded cluster and <c>RlStudio:EmbeddedWorker</c> = true.
/// The child gets the web's base URL (<see cref="ServerUrls"/>) and the connection string (Hangfire storage).
/// The launcher itself belongs to the worker side and is still to be written: see <see cref="LaunchAsync"/>.
/// </summary>
public sealed class EmbeddedWorkerService(
    IOptions<RlStudioOptions> options,
    IServiceProvider services,
    ServerUrls urls,
    IConfiguration configuration,
    ILogger<EmbeddedWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EmbeddedWorker || services.GetService<PostgresCluster>() is null)
        {
            return;
        }
        var baseAddress = await urls.WaitForBaseAddressAsync(stoppingToken);
        var connectionString = configuration.GetConnectionString(DatabaseSetup.ConnectionStringName)!;
        await LaunchAsync(baseAddress, connectionString, stoppingToken);
    }

    /// <summary>Start the worker child process here and keep it running until <paramref name="stoppingToken"/> fires.</summary>
    private Task LaunchAsync(Uri webBaseAddress, string connectionString, CancellationToken stoppingToken)
    {
        _ = connectionString;
        _ = stoppingToken;
        logger.LogWarning("Embedded worker launcher not implemented yet; web is at {WebBaseAddress}", webBaseAddress);
        return Task.CompletedTask;
    }
}
