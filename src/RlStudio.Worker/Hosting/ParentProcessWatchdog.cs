using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace RlStudio.Worker.Hosting;

/// <summary>
/// In embedded mode the web host starts this worker as a child: if the parent dies without stopping
/// us (a kill -9, a crash), stop too rather than train on as an orphan.
/// </summary>
public sealed class ParentProcessWatchdog(IOptions<WorkerOptions> options, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ParentProcessId is not { } parentId) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (IsAlive(parentId)) continue;
            logger.LogWarning("Parent process {ParentId} is gone; stopping the worker", parentId);
            lifetime.StopApplication();
            return;
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
