namespace RlStudio.Engine;

/// <summary>What each <see cref="TrainingAlgorithm"/> trains on and needs.</summary>
public static class TrainingAlgorithmExtensions
{
    /// <summary>True for algorithms that train on <see cref="PreferenceExample"/>s (DPO, IPO, reward model).</summary>
    public static bool UsesPreferenceData(this TrainingAlgorithm algorithm) => algorithm switch
    {
        TrainingAlgorithm.Sft or TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp
            or TrainingAlgorithm.Ppo => false,
        TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo or TrainingAlgorithm.RewardModel => true,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>True for algorithms that sample completions and learn from rewards (GRPO, RLOO, REINFORCE++, PPO).</summary>
    public static bool IsPolicyGradient(this TrainingAlgorithm algorithm) => algorithm switch
    {
        TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp or TrainingAlgorithm.Ppo => true,
        TrainingAlgorithm.Sft or TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo or TrainingAlgorithm.RewardModel => false,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>Whether the model carries a scalar head: PPO's value head or the reward model's score head.</summary>
    public static bool NeedsScalarHead(this TrainingAlgorithm algorithm) => algorithm switch
    {
        TrainingAlgorithm.Ppo or TrainingAlgorithm.RewardModel => true,
        TrainingAlgorithm.Sft or TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp
            or TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo => false,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>True for algorithms an agentic run can train with: SFT on demonstration episodes, and the policy gradients on played ones.</summary>
    public static bool TrainsOnEpisodes(this TrainingAlgorithm algorithm) => algorithm == TrainingAlgorithm.Sft || algorithm.IsPolicyGradient();
}
