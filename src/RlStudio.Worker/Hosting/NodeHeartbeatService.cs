using Microsoft.Extensions.Options;
using RlStudio.Contracts.Workers;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Hosting;

/// <summary>Announces this node (name, device, queues) to the web host at start and then periodically.</summary>
public sealed class NodeHeartbeatService(IngestClient ingest, IOptions<WorkerOptions> options, ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var device = DeviceProbe.Describe();
        logger.LogInformation("Worker {Worker} on {Device} serving queues {Queues}", o.WorkerName, device.Device, string.Join(",", o.EffectiveQueues));
        using var timer = new PeriodicTimer(o.HeartbeatInterval);
        do
        {
            try
            {
                await ingest.AnnounceAsync(new WorkerHeartbeat(o.WorkerName, device.Device, device.GpuName, device.GpuMemoryBytes, o.EffectiveQueues, device.MemoryBytes, o.ModelRoots), stoppingToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or Ingest.IngestException)
            {
                logger.LogWarning("Worker {Worker} heartbeat failed: {Error}", o.WorkerName, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
