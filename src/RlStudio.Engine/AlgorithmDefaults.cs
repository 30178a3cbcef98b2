namespace RlStudio.Engine;

/// <summary>
/// Each algorithm's default options, the learning benchmark's (see docs/algorithms.md): RL from an SFT checkpoint learns
/// with 16 prompts × 8 completions per step at 1e-4, where 1e-3 with 4 prompts per step collapses the policy. Held-out
/// evaluation runs every 50 steps on 200 held-out examples. The platform's wire defaults (RunSettingDefaults in
/// Contracts) are checked against these by a worker test.
/// </summary>
public static class AlgorithmDefaults
{
    public const int EvalEvery = 50;
    public const int EvalSamples = 200;

    public static TrainerOptions For(TrainingAlgorithm algorithm)
    {
        var evaluated = new TrainerOptions { Algorithm = algorithm, EvalEvery = EvalEvery, EvalSamples = EvalSamples };
        return algorithm switch
        {
            TrainingAlgorithm.Sft => evaluated with { LearningRate = 1e-3, BatchSize = 32 },
            TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp or TrainingAlgorithm.Ppo =>
                evaluated with { LearningRate = 1e-4, BatchSize = 128, GroupSize = 8 },
            TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo or TrainingAlgorithm.RewardModel => evaluated with { LearningRate = 1e-3, BatchSize = 32 },
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
        };
    }
}
