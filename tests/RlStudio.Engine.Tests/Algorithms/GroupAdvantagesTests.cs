using RlStudio.Engine.Algorithms;

namespace RlStudio.Engine.Tests.Algorithms;

public sealed class GroupAdvantagesTests
{
    [Fact]
    public void Grpo_BinaryRewardsGroupScale_MatchesWorkedExample()
    {
        using var rewards = Golden.Vec(1, 0, 0, 1);
        var (advantages, fracZeroStd) = GroupAdvantages.Grpo(rewards, 4, AdvantageScale.Group);
        using (advantages) Golden.Equal([0.865875, -0.865875, -0.865875, 0.865875], advantages);
        Assert.Equal(0.0, fracZeroStd);
        using var std = rewards.std();
        Golden.Equal(0.577350, std);
    }

    [Fact]
    public void Grpo_NoScale_IsDrGrpoCentering()
    {
        using var rewards = Golden.Vec(1, 0, 0, 1);
        var (advantages, _) = GroupAdvantages.Grpo(rewards, 4, AdvantageScale.None);
        using (advantages) Golden.Equal([0.5, -0.5, -0.5, 0.5], advantages);
    }

    [Fact]
    public void Grpo_FractionalRewards_MatchesWorkedExample()
    {
        using var rewards = Golden.Vec(0.2, 0.9, 0.4, 0.5);
        using var std = rewards.std();
        Golden.Equal(0.294392, std);
        var (advantages, _) = GroupAdvantages.Grpo(rewards, 4, AdvantageScale.Group);
        using (advantages) Golden.Equal([-1.018703, 1.358271, -0.339568, 0.0], advantages);
    }

    [Fact]
    public void Grpo_BatchScale_DividesByWholeBatchStd()
    {
        using var rewards = Golden.Vec(1, 0, 0.5, 0.5);
        var (advantages, fracZeroStd) = GroupAdvantages.Grpo(rewards, 2, AdvantageScale.Batch);
        var batchStd = Math.Sqrt((0.25 + 0.25 + 0 + 0) / 3);
        using (advantages) Golden.Equal([0.5 / (batchStd + 1e-4), -0.5 / (batchStd + 1e-4), 0, 0], advantages);
        Assert.Equal(0.5, fracZeroStd);
    }

    [Fact]
    public void Grpo_EqualRewardsInGroup_ZeroAdvantageAndCountedInFracZeroStd()
    {
        using var rewards = Golden.Vec(1, 1, 1, 0, 1, 0);
        var (advantages, fracZeroStd) = GroupAdvantages.Grpo(rewards, 3, AdvantageScale.Group);
        using (advantages) Assert.All(Golden.Values(advantages).Take(3), a => Assert.Equal(0.0, a));
        Assert.Equal(0.5, fracZeroStd);
    }

    [Fact]
    public void Rloo_FractionalRewards_MatchesWorkedExample()
    {
        using var rewards = Golden.Vec(0.2, 0.9, 0.4, 0.5);
        using var advantages = GroupAdvantages.Rloo(rewards, 4);
        Golden.Equal([-0.4, 0.533333, -0.133333, 0.0], advantages);
    }

    [Fact]
    public void Grpo_RewardsNotDivisibleByGroup_Throws()
    {
        using var rewards = Golden.Vec(1, 2, 3);
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Grpo(rewards, 2, AdvantageScale.Group));
    }
}
