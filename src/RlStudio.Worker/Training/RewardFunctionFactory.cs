using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Rewards;

namespace RlStudio.Worker.Training;

/// <summary>Builds the engine's reward functions for a run's reward specs.</summary>
public static class RewardFunctionFactory
{
    public static IReadOnlyList<WeightedReward> Create(IReadOnlyList<RewardSpec> specs) =>
        specs.Select(spec => new WeightedReward(Create(spec.Type), spec.Weight)).ToArray();

    private static IRewardFunction Create(RewardType type) => type switch
    {
        RewardType.ExactMatch => new ExactMatchReward(),
        RewardType.NumericMatch => new NumericMatchReward(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown reward type."),
    };
}
