using RlStudio.Engine;
using RlStudio.Engine.Algorithms;

namespace RlStudio.Bench;

/// <summary>An RL algorithm as the learning benchmark runs it: an algorithm's defaults plus what names the variant.</summary>
public sealed record LearnVariant(string Name, TrainingAlgorithm Algorithm, Func<TrainerOptions, TrainerOptions> Shape)
{
    public static IReadOnlyList<LearnVariant> All { get; } =
    [
        new("grpo", TrainingAlgorithm.Grpo, o => o),
        new("dr_grpo", TrainingAlgorithm.Grpo, o => o with { AdvantageScale = AdvantageScale.None, Aggregation = LossAggregation.DrGrpo }),
        new("dapo", TrainingAlgorithm.Grpo, o => o with { ClipEpsilonLow = 0.2, ClipEpsilonHigh = 0.28, Aggregation = LossAggregation.TokenMean }),
        new("rloo", TrainingAlgorithm.Rloo, o => o),
        new("reinforce_pp", TrainingAlgorithm.ReinforcePp, o => o),
        new("ppo", TrainingAlgorithm.Ppo, o => o),
    ];

    public static LearnVariant Named(string name) => All.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", All.Select(v => v.Name))}.");

    /// <summary>The variant's options: its algorithm's defaults, shaped, for a task of <paramref name="maxNewTokens"/>.</summary>
    public TrainerOptions Options(int steps, int maxNewTokens, long seed) =>
        Shape(AlgorithmDefaults.For(Algorithm) with { Steps = steps, MaxNewTokens = maxNewTokens, Seed = seed, EvalEvery = 0 });
}
