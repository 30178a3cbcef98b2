using RlStudio.Worker.Hosting;

namespace RlStudio.Worker.Training;

/// <summary>
/// The training child process: <c>RlStudio.Worker train RUN_ID [config args]</c>. Trains one run with
/// <see cref="RunTrainer"/> and exits: 0 when the run was trained, cancelled or not claimable; non-zero when training
/// threw (the run is then already Failed with the error). SIGTERM cancels (the run resumes later from its checkpoint);
/// the parent watchdog stops it if the worker node dies.
/// </summary>
public static class TrainingCommand
{
    public static async Task<int> RunAsync(long runId, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddWorkerNode(builder.Configuration, announceNode: false);
        builder.Services.AddTransient<RewardFunctionFactory>();
        builder.Services.AddTransient<RunTrainer>();
        using var host = builder.Build();
        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await host.Services.GetRequiredService<RunTrainer>().TrainAsync(runId, stopping);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
