using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Labeling;
using RlStudio.Data;
using RlStudio.Data.Labeling;
using RlStudio.Data.Storage;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Labeling;

/// <summary>
/// The worker's side of a sampled batch: one node claims it (guarded) and gets its prompts (a seeded draw from the
/// dataset version) and pinned sources, sends items (idempotent by ordinal), then reports it Ready or Failed.
/// </summary>
public sealed class ComparisonSampling(RlStudioDbContext db)
{
    public async Task<Outcome<ComparisonSamplingClaim>> ClaimAsync(long batchId, string worker, CancellationToken cancellationToken)
    {
        var claimed = await db.ComparisonBatches
            .Where(b => b.Id == batchId && b.Status == ComparisonBatchStatus.Sampling && (b.Worker == null || b.Worker == worker))
            .ExecuteUpdateAsync(u => u.SetProperty(b => b.Worker, worker), cancellationToken);
        var batch = await db.ComparisonBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return Outcome<ComparisonSamplingClaim>.NotFound($"Batch {batchId} does not exist.");
        if (claimed == 0) return Outcome<ComparisonSamplingClaim>.Conflict($"Batch {batchId} is {batch.Status}{(batch.Worker is null ? "" : $" (worker {batch.Worker})")}.");
        var items = await db.GetItemsAsync(batch.DatasetVersionId!.Value, cancellationToken) ?? [];
        var chosen = items.Select((item, index) => (item, key: new Random(unchecked((int)batch.Seed) ^ index).Next()))
            .OrderBy(x => x.key).Take(batch.TargetItems).Select(x => x.item).ToList();
        return Outcome<ComparisonSamplingClaim>.Ok(new ComparisonSamplingClaim(batch.Id, batch.Sources, batch.Sources.Select(s => s.CheckpointId).ToList(),
            chosen.Select(i => i.Prompt).ToList(), chosen.Select(i => (string?)i.Reference).ToList(), batch.Temperature, batch.TopP, batch.MaxNewTokens, batch.Seed));
    }

    public async Task<Outcome<int>> AddItemsAsync(long batchId, ComparisonItemsBatch batch, CancellationToken cancellationToken)
    {
        var target = await db.ComparisonBatches.AsNoTracking().Where(b => b.Id == batchId)
            .Select(b => new { b.TargetItems, b.Status, b.Worker }).SingleOrDefaultAsync(cancellationToken);
        if (target is null) return Outcome<int>.NotFound($"Batch {batchId} does not exist.");
        if (target.Status != ComparisonBatchStatus.Sampling || target.Worker != batch.Worker)
            return Outcome<int>.Conflict($"Batch {batchId} is {target.Status}; worker {batch.Worker} is not sampling it.");
        var items = batch.Items ?? [];
        var errors = new ValidationErrors();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Ordinal < 0 || items[i].Ordinal >= target.TargetItems) errors.Add($"items[{i}].ordinal", $"must be in 0..{target.TargetItems - 1}");
            if (items[i].Prompt is null || items[i].ResponseA is null || items[i].ResponseB is null) errors.Add($"items[{i}]", "prompt, responseA and responseB are required");
        }
        if (!errors.IsEmpty) return Outcome<int>.Invalid(errors);
        return Outcome<int>.Ok(await db.AddItemsAsync(batchId, items, cancellationToken));
    }

    public async Task<Outcome<ComparisonBatchDto>> SetStatusAsync(long batchId, ComparisonBatchStatusUpdate update, CancellationToken cancellationToken)
    {
        if (update.Status == ComparisonBatchStatus.Sampling) return Outcome<ComparisonBatchDto>.Invalid("status", "a worker reports Ready or Failed");
        var batch = await db.ComparisonBatches.SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return Outcome<ComparisonBatchDto>.NotFound($"Batch {batchId} does not exist.");
        if (batch.Status == update.Status && batch.Worker == update.Worker) return Outcome<ComparisonBatchDto>.Ok((await db.GetBatchAsync(batchId, cancellationToken))!);
        if (batch.Status != ComparisonBatchStatus.Sampling || batch.Worker != update.Worker)
            return Outcome<ComparisonBatchDto>.Conflict($"Batch {batchId} is {batch.Status}; worker {update.Worker} cannot move it to {update.Status}.");
        if (update.Status == ComparisonBatchStatus.Ready)
        {
            var count = await db.ComparisonItems.CountAsync(i => i.BatchId == batchId, cancellationToken);
            if (count < batch.TargetItems) return Outcome<ComparisonBatchDto>.Conflict($"Batch {batchId} has {count} of its {batch.TargetItems} items.");
        }
        batch.Status = update.Status;
        batch.Error = update.Status == ComparisonBatchStatus.Failed ? Truncate(update.Error ?? "failed") : null;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ComparisonBatchDto>.Ok((await db.GetBatchAsync(batchId, cancellationToken))!);
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000];
}
