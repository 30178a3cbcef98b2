using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Labeling;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Data.Labeling;

/// <summary>Comparison batches: created, filled with items (by a sampling worker or an import), read with their progress.</summary>
public static class ComparisonBatchStore
{
    /// <summary>Stores a batch with its imported items in one transaction (all or nothing).</summary>
    public static async Task<long> AddBatchAsync(this RlStudioDbContext db, ComparisonBatch batch, IReadOnlyList<ComparisonItemDto> items,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ComparisonBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.ComparisonItems.AddRange(items.Select(i => NewItem(batch.Id, i)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return batch.Id;
    }

    /// <summary>Adds a sampling worker's items; an ordinal already stored is kept as it is (a retried post adds nothing). Returns the item count.</summary>
    public static async Task<int> AddItemsAsync(this RlStudioDbContext db, long batchId, IReadOnlyList<ComparisonItemDto> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO comparison_items (batch_id, ordinal, prompt, response_a, response_b, reference)
                VALUES (@batch, @ordinal, @prompt, @a, @b, @reference) ON CONFLICT (batch_id, ordinal) DO NOTHING
                """,
                [
                    new NpgsqlParameter("batch", batchId), new NpgsqlParameter("ordinal", item.Ordinal),
                    new NpgsqlParameter("prompt", PostgresText.Storable(item.Prompt)), new NpgsqlParameter("a", PostgresText.Storable(item.ResponseA)),
                    new NpgsqlParameter("b", PostgresText.Storable(item.ResponseB)),
                    new NpgsqlParameter("reference", (object?)PostgresText.StorableOrNull(item.Reference) ?? DBNull.Value),
                ],
                cancellationToken);
        }
        return await db.ComparisonItems.CountAsync(i => i.BatchId == batchId, cancellationToken);
    }

    public static async Task<List<ComparisonBatchDto>> ListBatchesAsync(this RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var ids = await db.ComparisonBatches.AsNoTracking().OrderByDescending(b => b.Id).Select(b => b.Id).ToListAsync(cancellationToken);
        var batches = new List<ComparisonBatchDto>(ids.Count);
        foreach (var id in ids) batches.Add((await db.GetBatchAsync(id, cancellationToken))!);
        return batches;
    }

    public static async Task<ComparisonBatchDto?> GetBatchAsync(this RlStudioDbContext db, long id, CancellationToken cancellationToken)
    {
        var batch = await db.ComparisonBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (batch is null) return null;
        var names = await UserNamesAsync(db, [.. batch.LabelerIds ?? [], .. batch.ExcludedLabelerIds, .. batch.CreatedById is { } c ? [c] : Array.Empty<long>()],
            cancellationToken);
        var dataset = batch.DatasetId is { } d ? await db.Datasets.Where(x => x.Id == d).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken) : null;
        var items = await db.ComparisonItems.CountAsync(i => i.BatchId == id, cancellationToken);
        var labels = await db.PreferenceLabels.CountAsync(l => l.BatchId == id, cancellationToken);
        var overlap = batch.Overlap;
        var complete = await db.ComparisonItems.CountAsync(i => i.BatchId == id && db.PreferenceLabels.Count(l => l.ItemId == i.Id) >= overlap, cancellationToken);
        var exported = await db.DatasetVersions.Where(v => v.SourceBatchId == id).OrderBy(v => v.Id).Select(v => v.Id).ToListAsync(cancellationToken);
        return new ComparisonBatchDto(batch.Id, batch.Name, batch.Status, batch.Error, dataset, batch.Sources, batch.Overlap, batch.Guidelines,
            batch.LabelerIds?.Select(i => names.GetValueOrDefault(i, $"#{i}")).ToList(), batch.AllowTies, batch.AllowBothBad, batch.TargetItems, items, labels,
            complete, batch.CreatedById is { } owner ? names.GetValueOrDefault(owner) : null, batch.CreatedAt,
            batch.ExcludedLabelerIds.Select(i => names.GetValueOrDefault(i, $"#{i}")).ToList(), exported);
    }

    /// <summary>Progress for live pushes.</summary>
    public static async Task<BatchProgress?> GetBatchProgressAsync(this RlStudioDbContext db, long id, CancellationToken cancellationToken) =>
        await db.GetBatchAsync(id, cancellationToken) is { } b
            ? new BatchProgress(b.Id, b.Status, b.ItemCount, b.TargetItems, b.LabelCount, b.CompleteItems, b.Error)
            : null;

    /// <summary>Every label of the batch with its labeler's name, item by item (for agreement statistics and export).</summary>
    public static Task<List<StoredLabel>> BatchLabelsAsync(this RlStudioDbContext db, long batchId, CancellationToken cancellationToken) =>
        (from label in db.PreferenceLabels.AsNoTracking()
         join user in db.Users on label.LabelerId equals user.Id
         join item in db.ComparisonItems on label.ItemId equals item.Id
         where label.BatchId == batchId
         orderby item.Ordinal, label.Id
         select new StoredLabel(item.Id, item.Ordinal, item.Prompt, item.ResponseA, item.ResponseB, label.LabelerId, user.UserName ?? "", label.Choice,
             label.Rationale, label.Seconds, label.CreatedAt))
        .ToListAsync(cancellationToken);

    private static async Task<Dictionary<long, string>> UserNamesAsync(RlStudioDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", cancellationToken);

    private static ComparisonItem NewItem(long batchId, ComparisonItemDto item) => new()
    {
        BatchId = batchId, Ordinal = item.Ordinal, Prompt = PostgresText.Storable(item.Prompt), ResponseA = PostgresText.Storable(item.ResponseA),
        ResponseB = PostgresText.Storable(item.ResponseB), Reference = PostgresText.StorableOrNull(item.Reference),
    };
}

/// <summary>One label with its item, as statistics and export read it.</summary>
public sealed record StoredLabel(
    long ItemId, int Ordinal, string Prompt, string ResponseA, string ResponseB, long LabelerId, string Labeler, PreferenceChoice Choice,
    string? Rationale, double Seconds, DateTimeOffset At);
