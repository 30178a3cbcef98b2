using RlStudio.Contracts.Ingest;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Reports a run's liveness every <paramref name="interval"/> from the background while it is being
/// trained, so phases without steps (loading data and weights, uploading a checkpoint, a slow step of a
/// large model) never make the run look lost. Per-step progress reports go on as before.
/// </summary>
public sealed class RunHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private RunHeartbeat(IngestClient ingest, long runId, string worker, Func<int> step, TimeSpan interval, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, _stop.Token);
                    await ingest.ReportProgressAsync(runId, new RunProgress(worker, step()), _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or IngestException)
                {
                    logger.LogWarning("Run {RunId} heartbeat failed: {Error}", runId, ex.Message);
                }
            }
        });
    }

    public static RunHeartbeat Start(IngestClient ingest, long runId, string worker, Func<int> step, TimeSpan interval, ILogger logger) =>
        new(ingest, runId, worker, step, interval, logger);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
