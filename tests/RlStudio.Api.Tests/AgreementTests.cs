using RlStudio.Web.Labeling;

namespace RlStudio.Api.Tests;

/// <summary>Agreement figures against worked examples.</summary>
public sealed class AgreementTests
{
    [Fact]
    public void KrippendorffAlpha_TheWorkedExampleOfKrippendorffsPaper_Is0743()
    {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, nominal, with gaps.
        int?[][] observers =
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
            [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
        ];
        var units = Enumerable.Range(0, 12).Select(u => (IReadOnlyList<int>)observers.Select(o => o[u]).OfType<int>().ToList());
        Assert.Equal(0.743, Agreement.KrippendorffAlpha(units)!.Value, 3);
    }

    [Fact]
    public void KrippendorffAlpha_PerfectAgreementIsOne_AndNoVariationIsUndefined()
    {
        Assert.Equal(1.0, Agreement.KrippendorffAlpha(new[] { new[] { "A", "A" }, ["B", "B", "B"], ["A", "A"] })!.Value, 9);
        Assert.Null(Agreement.KrippendorffAlpha(new[] { new[] { "A", "A" }, ["A", "A"] }));
        Assert.Null(Agreement.KrippendorffAlpha(new[] { new[] { "A" }, ["B"] }));   // nothing pairable
    }

    [Fact]
    public void KrippendorffAlpha_TwoCodersOneDisagreement_MatchesHandComputation()
    {
        // Units (A,A) (B,B) (A,B): o_AA = 2, o_BB = 2, o_AB = o_BA = 1; n_A = n_B = 3, n = 6;
        // D_o = 2, D_e = 2·3·3 / 5 = 3.6 → α = 1 − 2/3.6 = 0.4444…
        Assert.Equal(1 - 2 / 3.6, Agreement.KrippendorffAlpha(new[] { new[] { "A", "A" }, ["B", "B"], ["A", "B"] })!.Value, 9);
    }

    [Fact]
    public void CohenKappa_HandComputedExample()
    {
        // 10 items: both say A on 4, both B on 3, A/B on 2, B/A on 1. p_o = 0.7;
        // p_A = 0.6 and 0.5, p_B = 0.4 and 0.5 → p_e = 0.30 + 0.20 = 0.5 → κ = 0.4.
        var pairs = Enumerable.Repeat(("A", "A"), 4).Concat(Enumerable.Repeat(("B", "B"), 3))
            .Concat(Enumerable.Repeat(("A", "B"), 2)).Concat(Enumerable.Repeat(("B", "A"), 1)).ToList();
        Assert.Equal(0.4, Agreement.CohenKappa(pairs)!.Value, 9);
        Assert.Equal(1.0, Agreement.CohenKappa(new[] { ("A", "A"), ("B", "B") })!.Value, 9);
        Assert.Null(Agreement.CohenKappa(new[] { ("A", "A"), ("A", "A") }));
    }

    [Fact]
    public void Majority_NeedsMoreThanHalf()
    {
        Assert.True(Agreement.TryMajority<string>(["A", "A", "B"], out var majority));
        Assert.Equal("A", majority);
        Assert.False(Agreement.TryMajority<string>(["A", "B"], out _));
        Assert.Equal(1 / 3.0, Agreement.Disagreement<string>(["A", "A", "B"]), 9);
    }
}
