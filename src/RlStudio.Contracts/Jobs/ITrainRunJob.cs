namespace RlStudio.Contracts.Jobs;

/// <summary>
/// The Hangfire job that trains one run. The web host enqueues it by this interface (it never loads the
/// implementation); a worker registers the implementation. Only the run id travels in the job.
/// Safe to run twice: the worker claims the run with a guarded state change first.
/// </summary>
public interface ITrainRunJob
{
    Task TrainAsync(long runId, CancellationToken cancellationToken);
}
