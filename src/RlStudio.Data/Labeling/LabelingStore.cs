using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using RlStudio.Contracts.Labeling;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Labeling;

/// <summary>
/// Handing items to labelers and storing their answers, safe when many label at once:
/// - an item goes to a labeler at most once (one assignment per item and labeler);
/// - new assignments go first to the items closest to their overlap target, so items fill up before new ones open;
/// - an item never gets more labels than the batch's overlap: a label is written under the item's row lock, counting
///   what is there (open assignments of others hold a place while they last).
/// </summary>
public static class LabelingStore
{
    /// <summary>How long a handed-out item is held for its labeler.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(15);

    /// <summary>Open assignments one labeler may hold in one batch (the current item and a few prefetched).</summary>
    public const int MaxOpen = 4;

    /// <summary>
    /// The labeler's oldest open assignment in the batch that is not in <paramref name="except"/> and whose item has room,
    /// or a new assignment; null when nothing is left for them.
    /// </summary>
    public static async Task<LabelAssignment?> NextAssignmentAsync(this RlStudioDbContext db, long batchId, long labelerId, int overlap,
        IReadOnlyCollection<long> except, bool swap, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var held = await db.LabelAssignments
            .Where(a => a.BatchId == batchId && a.LabelerId == labelerId && a.State == LabelAssignmentState.Open && !except.Contains(a.ItemId))
            .OrderBy(a => a.AssignedAt).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken);
        foreach (var assignment in held)
        {
            if (await db.PreferenceLabels.CountAsync(l => l.ItemId == assignment.ItemId, cancellationToken) >= overlap) continue;
            assignment.ExpiresAt = now + Hold;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return assignment;
        }
        var open = await db.LabelAssignments.CountAsync(a => a.BatchId == batchId && a.LabelerId == labelerId && a.State == LabelAssignmentState.Open && a.ExpiresAt > now, cancellationToken);
        if (open >= MaxOpen) return null;

        // Lock a candidate item (others skip it meanwhile), then count again in a fresh statement: with the lock held the
        // count cannot change under us.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var itemId = await ScalarAsync(db, transaction, """
                SELECT i.id FROM comparison_items i
                WHERE i.batch_id = @batch
                  AND NOT EXISTS (SELECT 1 FROM label_assignments a WHERE a.item_id = i.id AND a.labeler_id = @labeler)
                  AND (SELECT count(*) FROM label_assignments a
                       WHERE a.item_id = i.id AND (a.state = 'Labeled' OR (a.state = 'Open' AND a.expires_at > now()))) < @overlap
                ORDER BY (SELECT count(*) FROM label_assignments a
                          WHERE a.item_id = i.id AND (a.state = 'Labeled' OR (a.state = 'Open' AND a.expires_at > now()))) DESC, i.ordinal
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED
                """, cancellationToken, ("batch", batchId), ("labeler", labelerId), ("overlap", overlap));
            if (itemId is null) return null;
            var taken = await db.LabelAssignments.CountAsync(a => a.ItemId == itemId && (a.State == LabelAssignmentState.Labeled
                || (a.State == LabelAssignmentState.Open && a.ExpiresAt > now)), cancellationToken);
            if (taken >= overlap) continue;
            var assignment = new LabelAssignment
            {
                ItemId = itemId.Value, BatchId = batchId, LabelerId = labelerId, Swapped = swap, State = LabelAssignmentState.Open,
                AssignedAt = now, ExpiresAt = now + Hold,
            };
            db.LabelAssignments.Add(assignment);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return assignment;
        }
        return null;
    }

    /// <summary>
    /// Stores the labeler's answer to an item handed to them: the existing label when they answered before (a retried submit
    /// stores nothing new), or null with the reason when it cannot be stored. Its time is <paramref name="shownSeconds"/>
    /// (how long the client showed it) capped by the time since the item was handed out.
    /// </summary>
    public static async Task<(PreferenceLabel? Label, string? Refusal)> AddLabelAsync(this RlStudioDbContext db, long itemId, long labelerId,
        Func<bool, PreferenceChoice> choice, string? rationale, double? shownSeconds, int overlap, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ScalarAsync(db, transaction, "SELECT id FROM comparison_items WHERE id = @item FOR UPDATE", cancellationToken, ("item", itemId));
        var existing = await db.PreferenceLabels.AsNoTracking().FirstOrDefaultAsync(l => l.ItemId == itemId && l.LabelerId == labelerId, cancellationToken);
        if (existing is not null) return (existing, null);
        var assignment = await db.LabelAssignments.FirstOrDefaultAsync(a => a.ItemId == itemId && a.LabelerId == labelerId, cancellationToken);
        if (assignment is null) return (null, "this item was not handed to you: ask for the next item first");
        if (assignment.State == LabelAssignmentState.Skipped) return (null, "you skipped this item");
        if (await db.PreferenceLabels.CountAsync(l => l.ItemId == itemId, cancellationToken) >= overlap)
            return (null, "this item has all the labels it needs; take the next one");
        var now = DateTimeOffset.UtcNow;
        var held = Math.Min((now - assignment.AssignedAt).TotalSeconds, Hold.TotalSeconds);
        var label = new PreferenceLabel
        {
            ItemId = itemId, BatchId = assignment.BatchId, LabelerId = labelerId, Choice = choice(assignment.Swapped), Swapped = assignment.Swapped,
            Rationale = rationale, Seconds = Math.Round(Math.Min(shownSeconds ?? held, held), 3), CreatedAt = now,
        };
        db.PreferenceLabels.Add(label);
        assignment.State = LabelAssignmentState.Labeled;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (label, null);
    }

    /// <summary>Marks the labeler's assignment skipped: the item is not handed to them again. False when they hold none for it.</summary>
    public static async Task<bool> SkipAsync(this RlStudioDbContext db, long itemId, long labelerId, CancellationToken cancellationToken) =>
        await db.LabelAssignments.Where(a => a.ItemId == itemId && a.LabelerId == labelerId && a.State == LabelAssignmentState.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, LabelAssignmentState.Skipped), cancellationToken) > 0;

    /// <summary>Takes the labeler's label back; the item is theirs again (open) to answer anew. Returns the label removed.</summary>
    public static async Task<PreferenceLabel?> UndoAsync(this RlStudioDbContext db, long itemId, long labelerId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var label = await db.PreferenceLabels.FirstOrDefaultAsync(l => l.ItemId == itemId && l.LabelerId == labelerId, cancellationToken);
        if (label is null) return null;
        db.PreferenceLabels.Remove(label);
        var now = DateTimeOffset.UtcNow;
        await db.LabelAssignments.Where(a => a.ItemId == itemId && a.LabelerId == labelerId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, LabelAssignmentState.Open).SetProperty(a => a.ExpiresAt, now + Hold), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return label;
    }

    /// <summary>The labeler's counts: labels in the batch, items still open to them there, labels today (all batches).</summary>
    public static async Task<(int Done, int Available, int Today)> ProgressAsync(this RlStudioDbContext db, long batchId, long labelerId, int overlap,
        CancellationToken cancellationToken)
    {
        var done = await db.PreferenceLabels.CountAsync(l => l.BatchId == batchId && l.LabelerId == labelerId, cancellationToken);
        var available = await db.ComparisonItems.CountAsync(i => i.BatchId == batchId
            && !db.LabelAssignments.Any(a => a.ItemId == i.Id && a.LabelerId == labelerId && a.State != LabelAssignmentState.Open)
            && db.PreferenceLabels.Count(l => l.ItemId == i.Id) < overlap, cancellationToken);
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var labeledToday = await db.PreferenceLabels.CountAsync(l => l.LabelerId == labelerId && l.CreatedAt >= today, cancellationToken);
        return (done, available, labeledToday);
    }

    private static async Task<long?> ScalarAsync(RlStudioDbContext db, IDbContextTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }
}
