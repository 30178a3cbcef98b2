using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Labeling;

namespace RlStudio.Web.Labeling;

/// <summary>
/// A batch's label quality: the choices' distribution, Krippendorff's α (nominal) over all counted labelers, Cohen's κ
/// for each pair with at least <see cref="MinCommonItems"/> common items, per labeler their count, median seconds and
/// agreement with the others' majority, the items labelers disagree on most, and the reward models trained on its
/// exports with their held-out agreement with the human majority. Excluded labelers are listed but not counted.
/// </summary>
public sealed class BatchStatistics(RlStudioDbContext db)
{
    public const int MinCommonItems = 5;
    public const int ListedDisagreements = 10;

    public async Task<BatchStatsDto?> ComputeAsync(long batchId, CancellationToken cancellationToken)
    {
        var batch = await db.ComparisonBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null) return null;
        var all = await db.BatchLabelsAsync(batchId, cancellationToken);
        var labels = all.Where(l => !batch.ExcludedLabelerIds.Contains(l.LabelerId)).ToList();
        var byItem = labels.GroupBy(l => l.ItemId).ToList();

        var alpha = Agreement.KrippendorffAlpha(byItem.Select(g => (IReadOnlyList<PreferenceChoice>)g.Select(l => l.Choice).ToList()));
        var labelerNames = labels.Select(l => l.Labeler).Distinct().Order().ToList();
        var kappas = new List<KappaDto>();
        for (var i = 0; i < labelerNames.Count; i++)
        {
            for (var j = i + 1; j < labelerNames.Count; j++)
            {
                var pairs = byItem.Select(g => (A: g.FirstOrDefault(l => l.Labeler == labelerNames[i]), B: g.FirstOrDefault(l => l.Labeler == labelerNames[j])))
                    .Where(p => p.A is not null && p.B is not null).Select(p => (p.A!.Choice, p.B!.Choice)).ToList();
                if (pairs.Count >= MinCommonItems) kappas.Add(new KappaDto(labelerNames[i], labelerNames[j], pairs.Count, Agreement.CohenKappa(pairs)));
            }
        }
        var labelerStats = all.GroupBy(l => (l.LabelerId, l.Labeler)).OrderBy(g => g.Key.Labeler).Select(g => new LabelerStatsDto(
            g.Key.Labeler, g.Count(), Median(g.Select(l => l.Seconds)), MajorityAgreement(g.Key.LabelerId, g.ToList(), byItem),
            batch.ExcludedLabelerIds.Contains(g.Key.LabelerId))).ToList();
        var disagreements = byItem.Where(g => g.Count() >= 2)
            .Select(g => new DisagreementDto(g.Key, g.First().Prompt, g.ToDictionary(l => l.Labeler, l => Contracts.Json.WireName.Of(l.Choice)),
                Agreement.Disagreement(g.Select(l => l.Choice).ToList())))
            .Where(d => d.Disagreement > 0).OrderByDescending(d => d.Disagreement).ThenBy(d => d.ItemId).Take(ListedDisagreements).ToList();
        var choices = Enum.GetValues<PreferenceChoice>().ToDictionary(Contracts.Json.WireName.Of, c => labels.Count(l => l.Choice == c));
        return new BatchStatsDto(batchId, labels.Count, choices, alpha, kappas, labelerStats, disagreements, await RewardModelsAsync(batchId, cancellationToken));
    }

    /// <summary>Share of a labeler's labels that equal the strict majority of the other labelers on the item (items without one are skipped).</summary>
    private static double? MajorityAgreement(long labelerId, IReadOnlyList<StoredLabel> own, IReadOnlyList<IGrouping<long, StoredLabel>> byItem)
    {
        var votes = own.Select(l => (l.Choice, Others: byItem.FirstOrDefault(g => g.Key == l.ItemId)?.Where(o => o.LabelerId != labelerId).Select(o => o.Choice).ToList() ?? []))
            .Where(x => x.Others.Count > 0 && Agreement.TryMajority(x.Others, out _))
            .Select(x => { Agreement.TryMajority(x.Others, out var majority); return x.Choice == majority; })
            .ToList();
        return votes.Count == 0 ? null : votes.Count(v => v) / (double)votes.Count;
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Reward-model runs on a dataset version exported from the batch, with their held-out accuracy (agreement with the exported majority).</summary>
    private async Task<List<RewardModelAgreementDto>> RewardModelsAsync(long batchId, CancellationToken cancellationToken)
    {
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.SourceBatchId == batchId).Select(v => v.Id).ToListAsync(cancellationToken);
        if (versions.Count == 0) return [];
        var runs = await db.Runs.AsNoTracking().Where(r => r.Algorithm == Algorithm.RewardModel).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.Status, r.Spec }).ToListAsync(cancellationToken);
        var trained = runs.Where(r => versions.Contains(r.Spec.DatasetVersionId)).ToList();
        var ids = trained.Select(r => r.Id).ToList();
        var accuracy = await db.LatestMetrics.AsNoTracking().Where(m => ids.Contains(m.RunId) && m.Key == HeldOutAccuracyKey)
            .ToDictionaryAsync(m => m.RunId, m => m.Value, cancellationToken);
        return trained.Select(r => new RewardModelAgreementDto(r.Id, r.Name, r.Status.ToString(), accuracy.TryGetValue(r.Id, out var a) ? a : null)).ToList();
    }

    /// <summary>The engine's held-out preference accuracy (<c>eval/accuracy</c>).</summary>
    public const string HeldOutAccuracyKey = "eval/accuracy";
}
