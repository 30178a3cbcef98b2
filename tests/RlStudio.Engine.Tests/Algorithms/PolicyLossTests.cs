using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Algorithms;

public sealed class PolicyLossTests
{
    // Two completions (3 and 2 tokens) from ALGORITHMS.md's worked example.
    private static readonly double[,] Logp = { { -0.7, -0.5, -2.0 }, { -0.3, -0.9, 0 } };
    private static readonly double[,] Old = { { -1.1, -0.5, -1.5 }, { -0.6, -0.9, 0 } };
    private static readonly double[,] Ref = { { -1.2, -0.4, -1.8 }, { -0.3, -1.0, 0 } };
    private static readonly double[,] Mask = { { 1, 1, 1 }, { 1, 1, 0 } };
    private static readonly double A = 0.5 / (Math.Sqrt(1.0 / 3) + 1e-4);

    private static PolicyLossResult Run(LossAggregation aggregation)
    {
        using var logp = Golden.Mat(Logp);
        using var old = Golden.Mat(Old);
        using var reference = Golden.Mat(Ref);
        using var mask = Golden.Mat(Mask);
        using var advantages = Golden.Vec(A, -A);
        var settings = new PolicyLossSettings { EpsilonLow = 0.2, EpsilonHigh = 0.2, Beta = 0.04, Aggregation = aggregation };
        return PolicyLoss.Compute(logp, old, reference, advantages, mask, settings);
    }

    [Fact]
    public void Compute_WorkedExample_TokenLossesMatch()
    {
        using var result = Run(LossAggregation.SequenceMean);
        Golden.Equal([-1.034789, -0.865669, -0.524324, 1.168810, 0.866069, 0], result.TokenLoss * Golden.Mat(Mask));
    }

    [Fact]
    public void KlK3_WorkedExample_MatchesTable()
    {
        using var logp = Golden.Mat(Logp);
        using var reference = Golden.Mat(Ref);
        using var kl = PolicyLoss.KlK3(logp, reference);
        var v = Golden.Values(kl);
        Golden.Equal([0.106531, 0.005171, 0.021403, 0.0, 0.004837], Golden.Vec(v[0], v[1], v[2], v[3], v[4]));
    }

    [Fact]
    public void Compute_WorkedExample_RatiosAndPolicyTermsMatch()
    {
        using var logp = Golden.Mat(Logp);
        using var old = Golden.Mat(Old);
        using var ratio = (logp - old).exp();
        var r = Golden.Values(ratio);
        Golden.Equal([1.491825, 1.0, 0.606531, 1.349859, 1.0], Golden.Vec(r[0], r[1], r[2], r[3], r[4]));
        using var mask = Golden.Mat(Mask);
        using var advantages = Golden.Vec(A, -A);
        using var result = PolicyLoss.Compute(logp, old, null, advantages, mask, new PolicyLossSettings { Beta = 0 });
        var pg = Golden.Values(result.TokenLoss);
        Golden.Equal([-1.039051, -0.865875, -0.525180, 1.168810, 0.865875], Golden.Vec(pg[0], pg[1], pg[2], pg[3], pg[4]));
    }

    [Fact]
    public void Compute_SequenceMean_MatchesWorkedExample()
    {
        using var result = Run(LossAggregation.SequenceMean);
        Golden.Equal(0.104589, result.Loss);
    }

    [Fact]
    public void Compute_TokenMean_MatchesWorkedExample()
    {
        using var result = Run(LossAggregation.TokenMean);
        Golden.Equal(-0.077981, result.Loss);
    }

    [Fact]
    public void Compute_DrGrpo_MatchesWorkedExample()
    {
        using var result = Run(LossAggregation.DrGrpo);
        Golden.Equal(-0.064984, result.Loss);
    }

    [Fact]
    public void Compute_WorkedExample_ClipFracCountsOnlyClippedToken()
    {
        using var result = Run(LossAggregation.TokenMean);
        Golden.Equal(0.2, result.ClipFrac);
        Golden.Equal((0.106531 + 0.005171 + 0.021403 + 0.0 + 0.004837) / 5, result.Kl);
    }

    [Fact]
    public void SequenceRatio_WorkedExample_MatchesGspoRatio()
    {
        using var logp = Golden.Mat(Logp);
        using var old = Golden.Mat(Old);
        using var mask = Golden.Mat(Mask);
        using var ratio = PolicyLoss.SequenceRatio(logp, old, mask);
        Assert.Equal(0.967216, Golden.Values(ratio)[0], Golden.Tolerance);
        Assert.Equal(Math.Exp(0.15), Golden.Values(ratio)[1], Golden.Tolerance);
    }

    [Fact]
    public void Compute_SequenceLevel_ClipsWholeCompletion()
    {
        using var logp = Golden.Mat(Logp);
        using var old = Golden.Mat(Old);
        using var mask = Golden.Mat(Mask);
        using var advantages = Golden.Vec(A, -A);
        var settings = new PolicyLossSettings { Beta = 0, Level = RatioLevel.Sequence };
        using var result = PolicyLoss.Compute(logp, old, null, advantages, mask, settings);
        // completion 1: s = 0.967216 inside the clip range → −s·A; completion 2: s = e^0.15, A < 0 → s·A unclipped.
        var expected = (-0.967216 * A + Math.Exp(0.15) * A) / 2;
        Assert.Equal(expected, result.Loss.item<double>(), 1e-5);
    }

    [Fact]
    public void Compute_GradientFlowsToLogp()
    {
        using var logp = Golden.Mat(Logp).requires_grad_();
        using var old = Golden.Mat(Old);
        using var reference = Golden.Mat(Ref);
        using var mask = Golden.Mat(Mask);
        using var advantages = Golden.Vec(A, -A);
        using var result = PolicyLoss.Compute(logp, old, reference, advantages, mask, new PolicyLossSettings());
        result.Loss.backward();
        Assert.NotNull(logp.grad);
        Assert.Equal(0.0, Golden.Values(logp.grad!)[5]);
    }
}
