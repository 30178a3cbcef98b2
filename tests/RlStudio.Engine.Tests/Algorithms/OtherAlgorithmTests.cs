using RlStudio.Engine.Algorithms;

namespace RlStudio.Engine.Tests.Algorithms;

public sealed class ReinforcePlusPlusTests
{
    [Fact]
    public void Advantages_WorkedExample_WhitenedReturnsMatch()
    {
        using var logp = Golden.Mat(new double[,] { { -0.7, -0.5, -2.0 }, { -0.3, -0.9, 0 } });
        using var reference = Golden.Mat(new double[,] { { -1.2, -0.4, -1.8 }, { -0.3, -1.0, 0 } });
        using var mask = Golden.Mat(new double[,] { { 1, 1, 1 }, { 1, 1, 0 } });
        using var rewards = Golden.Vec(1, 0);
        using var advantages = ReinforcePlusPlus.Advantages(logp, reference, mask, rewards, 0.1);
        Golden.Equal([0.676219, 0.765666, 0.747777, -1.094831, -1.094831, 0], advantages);
    }
}

public sealed class GaeTests
{
    [Fact]
    public void Compute_WorkedExample_AdvantagesAndReturnsMatch()
    {
        using var rewards = Golden.Mat(new double[,] { { 0, 0, 1 } });
        using var values = Golden.Mat(new double[,] { { 0.5, 0.6, 0.7 } });
        using var mask = Golden.Mat(new double[,] { { 1, 1, 1 } });
        var (advantages, returns) = Gae.Compute(rewards, values, mask, 1.0, 0.95);
        using (advantages) Golden.Equal([0.46575, 0.385, 0.3], advantages);
        using (returns) Golden.Equal([0.96575, 0.985, 1.0], returns);
    }

    /// <summary>
    /// Masked positions inside a row (an episode's observation tokens) are skipped, not ends: the worked example with two
    /// masked columns between its tokens gives the same advantages and returns at the unmasked ones, 0 at the masked.
    /// </summary>
    [Fact]
    public void Compute_SkipsMaskedPositionsInsideARow()
    {
        using var rewards = Golden.Mat(new double[,] { { 0, 9, 0, 9, 1 } });
        using var values = Golden.Mat(new double[,] { { 0.5, 9, 0.6, 9, 0.7 } });
        using var mask = Golden.Mat(new double[,] { { 1, 0, 1, 0, 1 } });
        var (advantages, returns) = Gae.Compute(rewards, values, mask, 1.0, 0.95);
        using (advantages) Golden.Equal([0.46575, 0, 0.385, 0, 0.3], advantages);
        using (returns) Golden.Equal([0.96575, 0, 0.985, 0, 1.0], returns);
    }

    [Fact]
    public void ValueLoss_InsideClip_IsHalfSquaredError()
    {
        using var values = Golden.Mat(new double[,] { { 0.5, 0.6 } });
        using var old = Golden.Mat(new double[,] { { 0.5, 0.6 } });
        using var returns = Golden.Mat(new double[,] { { 1.0, 0.6 } });
        using var mask = Golden.Mat(new double[,] { { 1, 1 } });
        using var loss = Gae.ValueLoss(values, old, returns, mask, 0.2);
        Golden.Equal(0.5 * 0.25 / 2, loss);
    }
}

public sealed class PreferenceLossTests
{
    [Fact]
    public void Dpo_WorkedExample_LossAndImplicitRewardsMatch()
    {
        using var margin = PreferenceLoss.LogRatioMargin(Golden.Vec(-12), Golden.Vec(-13), Golden.Vec(-15), Golden.Vec(-14.5));
        Golden.Equal([1.5], margin);
        using var loss = PreferenceLoss.Dpo(margin, 0.1);
        Golden.Equal([0.620957], loss);
        using var chosen = PreferenceLoss.ImplicitReward(Golden.Vec(-12), Golden.Vec(-13), 0.1);
        using var rejected = PreferenceLoss.ImplicitReward(Golden.Vec(-15), Golden.Vec(-14.5), 0.1);
        Golden.Equal([0.1], chosen);
        Golden.Equal([-0.05], rejected);
    }

    [Fact]
    public void Ipo_WorkedExample_Matches()
    {
        using var loss = PreferenceLoss.Ipo(Golden.Vec(1.5), 0.1);
        Golden.Equal([12.25], loss);
    }

    [Fact]
    public void BradleyTerry_WorkedExample_Matches()
    {
        using var loss = PreferenceLoss.BradleyTerry(Golden.Vec(1.3), Golden.Vec(0.4));
        Golden.Equal([0.341154], loss);
    }
}

public sealed class MaskedMathTests
{
    [Fact]
    public void Mean_IgnoresMaskedOutElements()
    {
        using var values = Golden.Mat(new double[,] { { 1, 2, 100 }, { 3, 100, 100 } });
        using var mask = Golden.Mat(new double[,] { { 1, 1, 0 }, { 1, 0, 0 } });
        using var all = MaskedMath.Mean(values, mask);
        Golden.Equal(2.0, all);
        using var rows = MaskedMath.Mean(values, mask, 1);
        Golden.Equal([1.5, 3.0], rows);
    }
}
