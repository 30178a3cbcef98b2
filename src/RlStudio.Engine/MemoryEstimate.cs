using RlStudio.Engine.Model;

namespace RlStudio.Engine;

/// <summary>
/// A rough, pre-queue estimate of a run's training memory in bytes (float32 everywhere; with
/// <see cref="Precision.BFloat16"/> a 2-byte working copy of the policy and 2-byte activations), split by what holds it.
/// Activations assume every row is <see cref="ModelConfig.MaxSeq"/> tokens long (an upper bound) and count what
/// backward keeps per layer plus the logits and their softmax; allocator overhead and the CUDA context are not
/// included, so treat the total as ±50%.
/// </summary>
/// <param name="WeightBytes">The policy's parameters (LoRA adapters included); under bfloat16 also its 2-byte working copy.</param>
/// <param name="GradientBytes">One gradient per trained parameter (policy, or only its LoRA adapters, and head).</param>
/// <param name="OptimizerBytes">AdamW's two moments per trained parameter (policy and head).</param>
/// <param name="ReferenceBytes">The frozen reference copy (KL with Beta &gt; 0, DPO, IPO); 0 without one.</param>
/// <param name="HeadBytes">The scalar head's weights (PPO value head, reward-model score head); 0 without one.</param>
/// <param name="ActivationBytes">Activations of one training forward/backward over the step's rows × MaxSeq tokens.</param>
public sealed record MemoryEstimate(
    long WeightBytes, long GradientBytes, long OptimizerBytes, long ReferenceBytes, long HeadBytes, long ActivationBytes)
{
    private const long Float = sizeof(float);
    private const long BFloat = 2;

    public long TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + ReferenceBytes + HeadBytes + ActivationBytes;

    /// <summary>Parameters of a <see cref="CausalLm"/> of this shape (equals <see cref="CausalLm.ParameterCount"/>).</summary>
    public static long ParameterCount(ModelConfig config)
    {
        long d = config.DModel, kv = (long)config.KvHeads * config.HeadDim;
        var attention = d * d * 2 + d * kv * 2;
        var mlp = 3 * d * config.FfnHidden;
        var layer = attention + mlp + 2 * d + (config.AttentionBias ? d + 2 * kv : 0);
        var embedding = (long)config.VocabSize * d;
        return embedding + config.Layers * layer + d + (config.TieEmbeddings ? 0 : embedding);
    }

    /// <summary>LoRA adapter parameters (rank × (in + out) per targeted layer) of a model of this shape; 0 without LoRA.</summary>
    public static long LoraParameterCount(ModelConfig config, LoraOptions? lora)
    {
        if (lora is null) return 0;
        long d = config.DModel, kv = (long)config.KvHeads * config.HeadDim, ffn = config.FfnHidden;
        var perLayer = lora.TargetModules.Sum(module => module switch
        {
            "q_proj" or "o_proj" => d + d,
            "k_proj" or "v_proj" => d + kv,
            "gate_proj" or "up_proj" => d + ffn,
            "down_proj" => ffn + d,
            _ => throw new ArgumentException($"Unknown LoRA target {module}."),
        });
        return config.Layers * lora.Rank * perLayer;
    }

    /// <summary>The estimate for a run of <paramref name="options"/> on a model of <paramref name="config"/>; throws <see cref="ArgumentException"/> for invalid options or config.</summary>
    public static MemoryEstimate ForOptions(TrainerOptions options, ModelConfig config)
    {
        options.Validate();
        config.Validate();
        var baseParameters = ParameterCount(config with { Lora = null });
        var lora = options.Lora ?? config.Lora;
        var adapters = LoraParameterCount(config, lora);
        var parameters = baseParameters + adapters;
        var headParameters = options.Algorithm.NeedsScalarHead() ? config.DModel + 1L : 0;
        var trained = (lora is null ? parameters : adapters) + headParameters;
        // Rows of one forward/backward: both sides of each pair; a policy-gradient update pass holds one minibatch.
        var rows = options.Algorithm.UsesPreferenceData() ? 2L * options.BatchSize
            : options.Algorithm.IsPolicyGradient() ? options.BatchSize / options.MiniBatches : options.BatchSize;
        long t = config.MaxSeq, d = config.DModel;
        var perLayer = rows * t * (16 * d + 3L * config.FfnHidden) + rows * config.Heads * t * t * 2;
        var logits = rows * t * config.VocabSize * 3;
        var (workingCopy, activation) = options.Precision switch
        {
            Precision.Float32 => (0L, Float),
            Precision.BFloat16 => (parameters * BFloat, BFloat),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Precision, null),
        };
        return new MemoryEstimate(
            WeightBytes: parameters * Float + workingCopy,
            GradientBytes: trained * Float,
            OptimizerBytes: 2 * trained * Float,
            ReferenceBytes: options.NeedsReference && lora is null ? baseParameters * Float : 0,   // LoRA: the adapter-free policy
            HeadBytes: headParameters * Float,
            ActivationBytes: (config.Layers * perLayer + logits) * activation);
    }
}
