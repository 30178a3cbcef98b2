using System.Text.Json;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Labeling;
using RlStudio.Data;
using RlStudio.Data.Labeling;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Labeling;

/// <summary>
/// A batch's labels as preference pairs (prompt, chosen, rejected) — what DPO, IPO and reward-model runs train on, and
/// what TRL's DPO trainer reads — saved as a new dataset version that remembers the batch (its lineage), or streamed as JSONL.
/// <list type="bullet">
/// <item><c>aggregation</c>: <c>majority</c> (one pair per item whose counted labels have a strict majority) or
/// <c>all</c> (a pair per label);</item>
/// <item><c>ties</c>, <c>bothBad</c>: <c>drop</c> (default) or <c>keep</c>, written as both orders, which cancel in a
/// pairwise loss while keeping the prompt in the data.</item>
/// </list>
/// Labels of excluded labelers never count.
/// </summary>
public sealed class BatchExport(RlStudioDbContext db, AuditLog audit)
{
    public static readonly IReadOnlyList<string> Aggregations = ["majority", "all"];
    public static readonly IReadOnlyList<string> Keeping = ["drop", "keep"];

    public sealed record Options(string Aggregation, bool KeepTies, bool KeepBothBad);

    /// <summary>The options of a request, or the errors naming each bad one.</summary>
    public static Options? Parse(string? aggregation, string? ties, string? bothBad, ValidationErrors errors)
    {
        var a = aggregation?.Trim().ToLowerInvariant() ?? "majority";
        var t = ties?.Trim().ToLowerInvariant() ?? "drop";
        var b = bothBad?.Trim().ToLowerInvariant() ?? "drop";
        if (!Aggregations.Contains(a)) errors.Add("aggregation", $"one of {string.Join(", ", Aggregations)}");
        if (!Keeping.Contains(t)) errors.Add("ties", $"one of {string.Join(", ", Keeping)}");
        if (!Keeping.Contains(b)) errors.Add("bothBad", $"one of {string.Join(", ", Keeping)}");
        return errors.IsEmpty ? new Options(a, t == "keep", b == "keep") : null;
    }

    /// <summary>The pairs of the batch's counted labels under <paramref name="options"/>.</summary>
    public async Task<List<NewDatasetItem>?> PairsAsync(long batchId, Options options, CancellationToken cancellationToken)
    {
        var batch = await db.ComparisonBatches.FindAsync([batchId], cancellationToken);
        if (batch is null) return null;
        var labels = (await db.BatchLabelsAsync(batchId, cancellationToken)).Where(l => !batch.ExcludedLabelerIds.Contains(l.LabelerId)).ToList();
        var pairs = new List<NewDatasetItem>();
        foreach (var item in labels.GroupBy(l => l.ItemId))
        {
            var first = item.First();
            IEnumerable<PreferenceChoice> votes = options.Aggregation == "all"
                ? item.Select(l => l.Choice)
                : Agreement.TryMajority(item.Select(l => l.Choice).ToList(), out var majority) ? [majority] : [];
            foreach (var vote in votes) pairs.AddRange(Pairs(first, vote, item.Count(), options));
        }
        return pairs;
    }

    /// <summary>Saves the pairs as a new version of preference dataset <paramref name="request"/>.DatasetName, remembering the batch.</summary>
    public async Task<Outcome<DatasetDto>> SaveAsync(Caller caller, long batchId, ExportBatchRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.DatasetName?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("datasetName", "required");
        else if (name.Length > RunRequestValidator.MaxNameLength || name.Any(char.IsControl)) errors.Add("datasetName", $"at most {RunRequestValidator.MaxNameLength} characters, no control characters");
        else if (long.TryParse(name, out _)) errors.Add("datasetName", "must not be a number (numbers refer to dataset ids)");
        var options = Parse(request.Aggregation, request.Ties, request.BothBad, errors);
        if (!errors.IsEmpty) return Outcome<DatasetDto>.Invalid(errors);
        var pairs = await PairsAsync(batchId, options!, cancellationToken);
        if (pairs is null) return Outcome<DatasetDto>.NotFound($"Batch {batchId} does not exist.");
        if (pairs.Count == 0) return Outcome<DatasetDto>.Unprocessable($"Batch {batchId} has no labels that make a pair under these options yet.");
        try
        {
            var dataset = await db.AddVersionAsync(name!, pairs, cancellationToken, DatasetKind.Preferences, caller.UserId, batchId);
            await audit.RecordAsync(caller, "batch.export", "batch", batchId,
                after: new { Dataset = dataset.Name, dataset.Version, Pairs = pairs.Count, options!.Aggregation, options.KeepTies, options.KeepBothBad },
                cancellationToken: cancellationToken);
            return Outcome<DatasetDto>.Ok(dataset);
        }
        catch (DatasetKindMismatchException mismatch)
        {
            return Outcome<DatasetDto>.Invalid("datasetName", mismatch.Message);
        }
    }

    private static IEnumerable<NewDatasetItem> Pairs(StoredLabel item, PreferenceChoice vote, int labels, Options options)
    {
        var metadata = JsonSerializer.Serialize(new { batchItem = item.ItemId, ordinal = item.Ordinal, labels, vote = Contracts.Json.WireName.Of(vote) });
        return vote switch
        {
            PreferenceChoice.A => [Pair(item.ResponseA, item.ResponseB)],
            PreferenceChoice.B => [Pair(item.ResponseB, item.ResponseA)],
            PreferenceChoice.Tie when options.KeepTies => [Pair(item.ResponseA, item.ResponseB), Pair(item.ResponseB, item.ResponseA)],
            PreferenceChoice.BothBad when options.KeepBothBad => [Pair(item.ResponseA, item.ResponseB), Pair(item.ResponseB, item.ResponseA)],
            _ => [],
        };

        NewDatasetItem Pair(string chosen, string rejected) => new(item.Prompt, "", metadata, chosen, rejected);
    }
}
