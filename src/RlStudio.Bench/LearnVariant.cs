using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Algorithms;

namespace RlStudio.Bench;

/// <summary>An RL algorithm as the learning benchmark runs it: the platform's defaults for its algorithm plus what names the variant.</summary>
public sealed record LearnVariant(string Name, Algorithm Algorithm, Func<TrainerOptions, TrainerOptions> Shape)
{
    public static IReadOnlyList<LearnVariant> All { get; } =
    [
        new("grpo", Algorithm.Grpo, o => o),
        new("dr_grpo", Algorithm.Grpo, o => o with { AdvantageScale = AdvantageScale.None, LossAggregation = LossAggregation.DrGrpo }),
        new("dapo", Algorithm.Grpo, o => o with { ClipEpsilonLow = 0.2, ClipEpsilonHigh = 0.28, LossAggregation = LossAggregation.TokenMean }),
        new("rloo", Algorithm.Rloo, o => o),
        new("reinforce_pp", Algorithm.ReinforcePp, o => o),
        new("ppo", Algorithm.Ppo, o => o),
    ];

    public static LearnVariant Named(string name) => All.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", All.Select(v => v.Name))}.");

    /// <summary>The variant's options: its algorithm's defaults, shaped, for a task of <paramref name="maxNewTokens"/>.</summary>
    public TrainerOptions Options(int steps, int maxNewTokens, long seed) =>
        Shape(RunDefaults.For(Algorithm) with { Steps = steps, MaxNewTokens = maxNewTokens, Seed = seed, EvalEvery = 0 });
}
