using Microsoft.Extensions.Options;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Labeling;
using RlStudio.Engine;
using RlStudio.Engine.Inference;
using RlStudio.Engine.Sampling;
using RlStudio.Worker.Hosting;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Samples a comparison batch: claims it, loads its source(s), answers each prompt twice (one source sampled with two
/// seeds, or one answer from each of two sources) and sends the items in chunks as it goes (the batch page shows the
/// progress), then reports the batch Ready — or Failed with the error. Model folders only under this node's roots.
/// </summary>
public sealed class SampleComparisonBatchJob(IngestClient ingest, IOptions<WorkerOptions> options, ModelRootGuard roots,
    ILogger<SampleComparisonBatchJob> logger) : ISampleComparisonBatchJob
{
    /// <summary>Items sent per ingest request.</summary>
    private const int ChunkItems = 32;

    public async Task SampleAsync(long batchId, CancellationToken cancellationToken)
    {
        var worker = options.Value.WorkerName;
        var claim = await ingest.ClaimBatchAsync(batchId, worker, cancellationToken);
        if (claim is null)
        {
            logger.LogInformation("Batch {BatchId} is not sampling any more, or another node has it", batchId);
            return;
        }
        try
        {
            await SampleAsync(claim, worker, cancellationToken);
            await ingest.SetBatchStatusAsync(batchId, new ComparisonBatchStatusUpdate(worker, ComparisonBatchStatus.Ready), cancellationToken);
            logger.LogInformation("Batch {BatchId}: {Count} items sampled", batchId, claim.Prompts.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Sampling batch {BatchId} failed", batchId);
            await ingest.SetBatchStatusAsync(batchId, new ComparisonBatchStatusUpdate(worker, ComparisonBatchStatus.Failed, e.Message), CancellationToken.None);
            throw;
        }
    }

    /// <summary>Chunk by chunk: both answers to a chunk's prompts, sent at once (so progress shows as it goes).</summary>
    private async Task SampleAsync(ComparisonSamplingClaim claim, string worker, CancellationToken cancellationToken)
    {
        var sampling = new SamplingOptions { MaxNewTokens = claim.MaxNewTokens, Temperature = claim.Temperature, TopP = claim.TopP };
        using var first = await LoadAsync(claim, 0, cancellationToken);
        using var second = claim.Sources.Count == 2 ? await LoadAsync(claim, 1, cancellationToken) : null;
        for (var start = 0; start < claim.Prompts.Count; start += ChunkItems)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prompts = claim.Prompts.Skip(start).Take(ChunkItems).ToList();
            // Seeds per chunk and side: repeatable, and the two answers of one source are drawn independently.
            var chunkSeed = claim.Seed + 2L * (start / ChunkItems);
            var a = first.Sample(prompts, sampling, chunkSeed);
            var b = (second ?? first).Sample(prompts, sampling, chunkSeed + 1);
            var items = prompts.Select((prompt, i) => new ComparisonItemDto(start + i, prompt, a[i], b[i], claim.References[start + i])).ToList();
            await ingest.AddBatchItemsAsync(claim.BatchId, new ComparisonItemsBatch(worker, items), cancellationToken);
        }
    }

    private async Task<ResponseSampler> LoadAsync(ComparisonSamplingClaim claim, int index, CancellationToken cancellationToken)
    {
        var source = claim.Sources[index];
        ModelSource model = source switch
        {
            _ when claim.SourceCheckpointIds[index] is { } checkpointId =>
                new ModelSource.Checkpoint(BytesOf(await ingest.DownloadCheckpointAsync(checkpointId, cancellationToken))),
            { Preset: { } preset } => new ModelSource.Preset(preset),
            { ModelPath: { } path } => new ModelSource.HuggingFaceFolder(roots.Check(path)),
            _ => throw new InvalidOperationException($"Source {index + 1} of batch {claim.BatchId} names no model."),
        };
        return ResponseSampler.Load(model, claim.Seed);
    }

    private static Func<Stream> BytesOf(byte[] bytes) => () => new MemoryStream(bytes, writable: false);
}
