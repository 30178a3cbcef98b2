using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Labeling;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Labeling;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Labeling;

/// <summary>
/// Labeling as a labeler does it — the REST routes under <c>/api/labeling</c> and the labeling page alike: the batches
/// open to them, the next item (sides shuffled per assignment), an answer, a skip, an undo. Answers are stored in the
/// item's own order (A/B) whatever sides the labeler saw.
/// </summary>
public sealed class LabelingService(RlStudioDbContext db, AuditLog audit, RunNotifier notifier)
{
    /// <summary>Ready batches the caller may label, with their progress there.</summary>
    public async Task<List<LabelingBatchDto>> BatchesAsync(Caller caller, CancellationToken cancellationToken)
    {
        var me = caller.UserId ?? 0;
        var batches = await db.ComparisonBatches.AsNoTracking()
            .Where(b => b.Status == ComparisonBatchStatus.Ready && (b.LabelerIds == null || b.LabelerIds.Contains(me)))
            .OrderByDescending(b => b.Id).ToListAsync(cancellationToken);
        var result = new List<LabelingBatchDto>();
        foreach (var batch in batches)
        {
            var (done, available, _) = await db.ProgressAsync(batch.Id, me, batch.Overlap, cancellationToken);
            var items = await db.ComparisonItems.CountAsync(i => i.BatchId == batch.Id, cancellationToken);
            result.Add(new LabelingBatchDto(batch.Id, batch.Name, items, batch.Overlap, done, available, batch.Guidelines));
        }
        return result;
    }

    /// <summary>The caller's next item in the batch (one they hold and is not in <paramref name="except"/>, or a new one); Ok(null) when nothing is left for them.</summary>
    public async Task<Outcome<LabelingItemDto?>> NextAsync(Caller caller, long batchId, IReadOnlyCollection<long> except, CancellationToken cancellationToken)
    {
        var (batch, kind, refusal) = await OpenBatchAsync(caller, batchId, cancellationToken);
        if (batch is null) return new Outcome<LabelingItemDto?>(kind, null, refusal);
        var assignment = await db.NextAssignmentAsync(batchId, caller.UserId!.Value, batch.Overlap, except, Random.Shared.Next(2) == 1, cancellationToken);
        if (assignment is null) return Outcome<LabelingItemDto?>.Ok(null);
        var item = await db.ComparisonItems.AsNoTracking().SingleAsync(i => i.Id == assignment.ItemId, cancellationToken);
        var (done, available, today) = await db.ProgressAsync(batchId, caller.UserId.Value, batch.Overlap, cancellationToken);
        var (left, right) = assignment.Swapped ? (item.ResponseB, item.ResponseA) : (item.ResponseA, item.ResponseB);
        return Outcome<LabelingItemDto?>.Ok(new LabelingItemDto(item.Id, batchId, batch.Name, item.Prompt, left, right, batch.Guidelines,
            batch.AllowTies, batch.AllowBothBad, done, available, today));
    }

    /// <summary>The caller's answer to an item handed to them; a repeated answer returns the stored one.</summary>
    public async Task<Outcome<LabelDto>> LabelAsync(Caller caller, long itemId, LabelRequest request, CancellationToken cancellationToken)
    {
        var batchId = await db.ComparisonItems.Where(i => i.Id == itemId).Select(i => (long?)i.BatchId).SingleOrDefaultAsync(cancellationToken);
        if (batchId is null) return Outcome<LabelDto>.NotFound($"Item {itemId} does not exist.");
        var (batch, kind, refusal) = await OpenBatchAsync(caller, batchId.Value, cancellationToken);
        if (batch is null) return new Outcome<LabelDto>(kind, null, refusal);

        var errors = new ValidationErrors();
        var side = ParseSide(request.Choice, batch, errors);
        var rationale = request.Rationale?.Trim();
        if (rationale is { Length: > ComparisonBatchRules.MaxRationaleLength }) errors.Add("rationale", $"at most {ComparisonBatchRules.MaxRationaleLength} characters");
        if (rationale?.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') == true) errors.Add("rationale", "no control characters");
        if (request.Seconds is { } shown && !(double.IsFinite(shown) && shown >= 0)) errors.Add("seconds", "must be a number of seconds ≥ 0");
        if (!errors.IsEmpty) return Outcome<LabelDto>.Invalid(errors);

        var (label, problem) = await db.AddLabelAsync(itemId, caller.UserId!.Value, swapped => Stored(side!.Value, swapped),
            string.IsNullOrEmpty(rationale) ? null : rationale, request.Seconds, batch.Overlap, cancellationToken);
        if (label is null) return Outcome<LabelDto>.Conflict($"Item {itemId}: {problem}.");
        await audit.RecordAsync(caller, "label.create", "item", itemId, after: new { BatchId = batch.Id, Choice = WireName.Of(label.Choice) }, cancellationToken: cancellationToken);
        await notifier.BatchUpdatedAsync(db, batch.Id, cancellationToken);
        return Outcome<LabelDto>.Ok(ToDto(label, caller.Name));
    }

    /// <summary>Sets the item aside for the caller: it is not handed to them again.</summary>
    public async Task<Outcome<long>> SkipAsync(Caller caller, long itemId, CancellationToken cancellationToken) =>
        await db.SkipAsync(itemId, caller.UserId ?? 0, cancellationToken)
            ? Outcome<long>.Ok(itemId)
            : Outcome<long>.NotFound($"Item {itemId} is not handed to you (or you already answered it).");

    /// <summary>Takes the caller's label back; the item is theirs to answer again.</summary>
    public async Task<Outcome<LabelDto>> UndoAsync(Caller caller, long itemId, CancellationToken cancellationToken)
    {
        var removed = await db.UndoAsync(itemId, caller.UserId ?? 0, cancellationToken);
        if (removed is null) return Outcome<LabelDto>.NotFound($"You have no label on item {itemId}.");
        await audit.RecordAsync(caller, "label.undo", "item", itemId, before: new { removed.BatchId, Choice = WireName.Of(removed.Choice) }, cancellationToken: cancellationToken);
        await notifier.BatchUpdatedAsync(db, removed.BatchId, cancellationToken);
        return Outcome<LabelDto>.Ok(ToDto(removed, caller.Name));
    }

    /// <summary>The batch when the caller may label it now; else why not.</summary>
    private async Task<(ComparisonBatch? Batch, OutcomeKind Kind, string? Refusal)> OpenBatchAsync(Caller caller, long batchId, CancellationToken cancellationToken)
    {
        var batch = await db.ComparisonBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return (null, OutcomeKind.NotFound, $"Batch {batchId} does not exist.");
        if (caller.UserId is not { } me || (batch.LabelerIds is { } allowed && !allowed.Contains(me)))
            return (null, OutcomeKind.Forbidden, $"You are not among the labelers of batch {batchId}.");
        if (batch.Status != ComparisonBatchStatus.Ready)
            return (null, OutcomeKind.Conflict, $"Batch {batchId} is {batch.Status}; it can be labeled once it is Ready.");
        return (batch, OutcomeKind.Ok, null);
    }

    private static SideChoice? ParseSide(string? text, ComparisonBatch batch, ValidationErrors errors)
    {
        var side = text?.Trim().ToLowerInvariant() switch
        {
            "left" => SideChoice.Left,
            "right" => SideChoice.Right,
            "tie" => SideChoice.Tie,
            "both_bad" => SideChoice.BothBad,
            _ => (SideChoice?)null,
        };
        if (side is null) errors.Add("choice", "required: left, right, tie or both_bad");
        else if (side == SideChoice.Tie && !batch.AllowTies) errors.Add("choice", "this batch allows no ties");
        else if (side == SideChoice.BothBad && !batch.AllowBothBad) errors.Add("choice", "this batch allows no 'both bad'");
        return side;
    }

    /// <summary>The side seen, in the item's own order: left is B when the sides were swapped.</summary>
    private static PreferenceChoice Stored(SideChoice side, bool swapped) => side switch
    {
        SideChoice.Left => swapped ? PreferenceChoice.B : PreferenceChoice.A,
        SideChoice.Right => swapped ? PreferenceChoice.A : PreferenceChoice.B,
        SideChoice.Tie => PreferenceChoice.Tie,
        SideChoice.BothBad => PreferenceChoice.BothBad,
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, null),
    };

    private static SideChoice Seen(PreferenceChoice choice, bool swapped) => choice switch
    {
        PreferenceChoice.A => swapped ? SideChoice.Right : SideChoice.Left,
        PreferenceChoice.B => swapped ? SideChoice.Left : SideChoice.Right,
        PreferenceChoice.Tie => SideChoice.Tie,
        PreferenceChoice.BothBad => SideChoice.BothBad,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, null),
    };

    private static LabelDto ToDto(PreferenceLabel label, string labeler) =>
        new(label.ItemId, labeler, label.Choice, Seen(label.Choice, label.Swapped), label.Rationale, label.Seconds, label.CreatedAt);
}
