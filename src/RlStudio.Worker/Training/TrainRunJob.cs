using System.Net;
using Microsoft.Extensions.Options;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Worker.Hosting;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// The Hangfire job on a worker node: trains the run in a child process (<see cref="TrainingProcess"/>, which runs
/// <see cref="RunTrainer"/>). When that process crashes (a native fault, an out-of-memory kill) the run ends Failed
/// with its exit code and last error lines — not retried, since such crashes tend to repeat; the node goes on.
/// </summary>
public sealed class TrainRunJob(IngestClient ingest, IOptions<WorkerOptions> options, ILogger<TrainRunJob> logger) : ITrainRunJob
{
    public async Task TrainAsync(long runId, CancellationToken cancellationToken)
    {
        var worker = options.Value.WorkerName;
        var grace = options.Value.CancelGrace;
        var outcome = await TrainingProcess.RunAsync(runId, worker, logger, cancellationToken,
            async token => (await ingest.GetStatusAsync(runId, token)).CancelRequested, options.Value.CancelCheckInterval, grace);
        if (outcome.KilledAfterCancel)
        {
            await ReportAsync(worker, runId, RunStatus.Cancelled,
                $"Cancelled by force: the trainer did not stop within {grace.TotalSeconds:0} s of the cancel request (a step never ended), so its process was killed. The newest checkpoint is kept.");
            return;
        }
        if (outcome.ExitCode == 0) return;

        var reason = $"the training process exited with code {outcome.ExitCode}{Signal(outcome.ExitCode)}"
                     + (outcome.LastErrors.Count > 0 ? $": {string.Join(" | ", outcome.LastErrors)}" : "");
        logger.LogError("Run {RunId}: {Reason}", runId, reason);
        await ReportAsync(worker, runId, RunStatus.Failed, reason);
    }

    private async Task ReportAsync(string worker, long runId, RunStatus status, string reason)
    {
        try
        {
            // Step 0: the web keeps the run's current step (a status report never moves it back).
            await ingest.SetStatusAsync(runId, new RunStatusUpdate(worker, status, 0, reason), CancellationToken.None);
        }
        catch (IngestException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // The run had already ended or is not ours (it was never claimed by this node): nothing to record.
        }
    }

    private static string Signal(int exitCode) => exitCode switch
    {
        137 => " (killed: SIGKILL, e.g. out of memory)",
        139 => " (segmentation fault)",
        134 => " (aborted)",
        _ => "",
    };
}
