using RlStudio.Contracts.Runs;

namespace RlStudio.Contracts.Models;

/// <summary>
/// The pre-queue memory estimate of a run, the same arithmetic as the engine's <c>MemoryEstimate.ForOptions</c>
/// (a test compares the two on every algorithm), so the web host can answer without loading the engine.
/// </summary>
public static class MemoryEstimator
{
    private const long Float = sizeof(float);
    private const long BFloat = 2;

    public static MemoryEstimateDto Estimate(Algorithm algorithm, RunSettings settings, ModelShape shape)
    {
        var baseParameters = shape.ParameterCount;
        var adapters = settings.LoraRank > 0 ? LoraParameterCount(shape, settings.LoraRank, settings.LoraTargets) : 0;
        var parameters = baseParameters + adapters;
        var headParameters = algorithm is Algorithm.Ppo or Algorithm.RewardModel ? shape.DModel + 1L : 0;
        var trained = (settings.LoraRank > 0 ? adapters : parameters) + headParameters;
        var rows = algorithm.UsesPreferences() ? 2L * settings.BatchSize
            : algorithm.IsPolicyGradient() ? settings.BatchSize / settings.MiniBatches : settings.BatchSize;
        long t = shape.MaxSeq, d = shape.DModel;
        var perLayer = rows * t * (16 * d + 3L * shape.FfnHidden) + rows * shape.Heads * t * t * 2;
        var logits = rows * t * shape.VocabSize * 3;
        var (workingCopy, activation) = settings.Precision switch
        {
            PrecisionSetting.Float32 => (0L, Float),
            PrecisionSetting.Bfloat16 => (parameters * BFloat, BFloat),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Precision, null),
        };
        return new MemoryEstimateDto(
            Parameters: parameters,
            WeightBytes: parameters * Float + workingCopy,
            GradientBytes: trained * Float,
            OptimizerBytes: 2 * trained * Float,
            ReferenceBytes: NeedsReference(algorithm, settings) && settings.LoraRank == 0 ? baseParameters * Float : 0,   // LoRA: the adapter-free policy
            HeadBytes: headParameters * Float,
            ActivationBytes: (shape.Layers * perLayer + logits) * activation);
    }

    /// <summary>LoRA adapter parameters: rank × (in + out) per targeted linear layer.</summary>
    public static long LoraParameterCount(ModelShape shape, int rank, IReadOnlyList<string> targets)
    {
        long d = shape.DModel, kv = (long)shape.KvHeads * shape.HeadDim, ffn = shape.FfnHidden;
        var perLayer = targets.Sum(module => module switch
        {
            "q_proj" or "o_proj" => d + d,
            "k_proj" or "v_proj" => d + kv,
            "gate_proj" or "up_proj" => d + ffn,
            "down_proj" => ffn + d,
            _ => throw new ArgumentException($"Unknown LoRA target {module}.", nameof(targets)),
        });
        return shape.Layers * rank * perLayer;
    }

    private static bool NeedsReference(Algorithm algorithm, RunSettings settings) => algorithm switch
    {
        Algorithm.Sft or Algorithm.RewardModel => false,
        Algorithm.Grpo or Algorithm.Rloo or Algorithm.ReinforcePp or Algorithm.Ppo => settings.Beta > 0,
        Algorithm.Dpo or Algorithm.Ipo => true,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
