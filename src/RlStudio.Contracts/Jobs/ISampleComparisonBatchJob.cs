namespace RlStudio.Contracts.Jobs;

/// <summary>
/// The Hangfire job that samples a comparison batch's two responses per prompt on the worker that runs it, and sends
/// them through the ingest API (idempotent by item ordinal, so running it twice is harmless).
/// </summary>
public interface ISampleComparisonBatchJob
{
    Task SampleAsync(long batchId, CancellationToken cancellationToken);
}
