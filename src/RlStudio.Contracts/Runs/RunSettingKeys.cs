namespace RlStudio.Contracts.Runs;

/// <summary>Which <see cref="RunSettings"/> keys (camelCase, as on the wire) each algorithm takes.</summary>
public static class RunSettingKeys
{
    private static readonly string[] Common =
        ["steps", "batchSize", "learningRate", "checkpointEvery", "weightDecay", "maxGradNorm", "evalEvery", "evalFraction", "evalSamples",
         "loraRank", "loraAlpha", "loraTargets", "precision",
         "keepLastCheckpoints", "keepBestCheckpoints", "bestCheckpointMetric", "bestCheckpointGoal"];

    /// <summary>The linear layers LoRA can adapt (HF names).</summary>
    public static readonly IReadOnlyList<string> LoraModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    private static readonly string[] Sampling = ["maxNewTokens", "temperature", "topK", "topP", "passK"];

    private static readonly string[] PolicyGradient =
        ["groupSize", "beta", "clipEpsilon", "clipEpsilonLow", "clipEpsilonHigh", "policyUpdatesPerBatch", "miniBatches", "importanceLevel", "lossAggregation"];

    public static IReadOnlyList<string> For(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Sft => [.. Common, .. Sampling],
        Algorithm.Grpo => [.. Common, .. Sampling, .. PolicyGradient, "advantageScale"],
        Algorithm.Rloo => [.. Common, .. Sampling, .. PolicyGradient],
        Algorithm.ReinforcePp => [.. Common, .. Sampling, .. PolicyGradient, "groupBaseline"],
        Algorithm.Ppo => [.. Common, .. Sampling, .. PolicyGradient, "gamma", "lambda", "valueClipEpsilon", "valueLossCoef", "whitenAdvantages"],
        Algorithm.Dpo or Algorithm.Ipo => [.. Common, "preferenceBeta"],
        Algorithm.RewardModel => [.. Common, "rewardMargin"],
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
