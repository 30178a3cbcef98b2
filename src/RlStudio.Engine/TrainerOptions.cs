using System.Text.Json.Serialization;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;

namespace RlStudio.Engine;

/// <summary>
/// Training settings. Options that set only <see cref="Steps"/> are valid for every algorithm; settings an algorithm
/// does not use are ignored. RL Studio's runs set every option from the run's settings (<see cref="TrainerOptionsJson"/>),
/// whose per-algorithm defaults are the learning benchmark's; the defaults here serve code that uses the engine alone.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Default <see cref="TrainingAlgorithm.Sft"/>.</summary>
    public TrainingAlgorithm Algorithm { get; init; } = TrainingAlgorithm.Sft;

    /// <summary>Optimizer steps of the run, ≥ 1. Default 100.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Examples per optimizer step: SFT examples, sampled completions (prompts × GroupSize) or preference pairs. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>AdamW learning rate (constant), in (0, 1]. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Tokens generated per completion (EOS included), ≥ 1. Default 8.</summary>
    public int MaxNewTokens { get; init; } = 8;

    /// <summary>Sampling temperature in [0, 10]; 0 is greedy (SFT eval is always greedy; sampling algorithms need &gt; 0). Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>GRPO, RLOO, REINFORCE++, PPO: completions per prompt; must divide BatchSize (≥ 2 for GRPO, RLOO and the REINFORCE++ group baseline). Default 8.</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>
    /// GRPO, RLOO: k3 KL weight in the loss; REINFORCE++, PPO: KL penalty per token in the reward. In [0, 10];
    /// 0 keeps no reference model at all. Default 0.04.
    /// </summary>
    public double Beta { get; init; } = 0.04;

    /// <summary>Policy ratio clip ε used for both sides unless ClipEpsilonLow/High say otherwise, in (0, 1). Default 0.2.</summary>
    public double ClipEpsilon { get; init; } = 0.2;

    /// <summary>Lower clip ε (ratios below 1 − ε are clipped), in (0, 1); null = <see cref="ClipEpsilon"/>. Default null.</summary>
    public double? ClipEpsilonLow { get; init; }

    /// <summary>Upper clip ε (DAPO clip-higher when above the lower one), in [ClipEpsilonLow, 10]; null = <see cref="ClipEpsilon"/>. Default null.</summary>
    public double? ClipEpsilonHigh { get; init; }

    /// <summary>
    /// GRPO, RLOO, REINFORCE++, PPO: optimizer updates per sampled batch (μ, 1..64) against the batch's stored old
    /// log-probs; the μ updates together are one reported step. Default 1.
    /// </summary>
    public int PolicyUpdatesPerBatch { get; init; } = 1;

    /// <summary>
    /// GRPO, RLOO, REINFORCE++, PPO: each of the μ updates walks the batch in this many equal consecutive minibatches, one
    /// optimizer step each (cleanrl's minibatch epochs), so an update pass holds BatchSize / MiniBatches completions'
    /// activations. Divides BatchSize. Default 1 (the whole batch, one step per update).
    /// </summary>
    public int MiniBatches { get; init; } = 1;

    /// <summary>Importance ratio level: token (PPO/GRPO) or sequence (GSPO). Default <see cref="RatioLevel.Token"/>.</summary>
    public RatioLevel ImportanceLevel { get; init; } = RatioLevel.Token;

    /// <summary>Run seed: model init, data order, held-out split and sampling all derive from it. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>AdamW weight decay, ≥ 0. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip, ≥ 0; 0 disables. Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Policy-gradient algorithms: token-loss aggregation. Default <see cref="Algorithms.LossAggregation.SequenceMean"/>.</summary>
    public LossAggregation LossAggregation { get; init; } = LossAggregation.SequenceMean;

    /// <summary>GRPO: reward scaling (group std, batch std, or none = Dr. GRPO). Default <see cref="AdvantageScale.Group"/>.</summary>
    public AdvantageScale AdvantageScale { get; init; } = AdvantageScale.Group;

    /// <summary>REINFORCE++: subtract the group's mean reward before building token returns (REINFORCE++-baseline). Default false.</summary>
    public bool GroupBaseline { get; init; }

    /// <summary>PPO: discount γ in [0, 1]. Default 1.</summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>PPO: GAE λ in [0, 1]. Default 0.95.</summary>
    public double Lambda { get; init; } = 0.95;

    /// <summary>PPO: value clip ε_v around the rollout's values, in (0, 10]. Default 0.2.</summary>
    public double ValueClipEpsilon { get; init; } = 0.2;

    /// <summary>PPO: weight of the value loss in the total loss, in [0, 10]. Default 0.1.</summary>
    public double ValueLossCoef { get; init; } = 0.1;

    /// <summary>PPO: whiten the GAE advantages over the batch's completion tokens. Default true.</summary>
    public bool WhitenAdvantages { get; init; } = true;

    /// <summary>DPO, IPO: β of the implicit reward β·(logp − ref), in (0, 10]. Default 0.1.</summary>
    public double PreferenceBeta { get; init; } = 0.1;

    /// <summary>Reward model: margin subtracted inside the Bradley–Terry loss, in [0, 10]. Default 0.</summary>
    public double RewardMargin { get; init; }

    /// <summary>Sampling top-k, ≥ 0; 0 disables. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Sampling top-p in (0, 1]; 1 disables. Default 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Held-out examples evaluated each time (≥ 1 when <see cref="EvalEvery"/> &gt; 0). Default 8.</summary>
    public int EvalSamples { get; init; } = 8;

    /// <summary>Evaluate on held-out data every N optimizer steps; 0 disables evaluation and the held-out split. Default 0.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Share of the dataset held out for evaluation when <see cref="EvalEvery"/> &gt; 0, in (0, 0.5]; deterministic from Seed. Default 0.1.</summary>
    public double EvalFraction { get; init; } = 0.1;

    /// <summary>Sampled completions per held-out prompt for pass@k, 1..64 (temperature: Temperature, or 1 when it is 0). Default 4.</summary>
    public int PassK { get; init; } = 4;

    /// <summary>Rollout records returned per step, ≥ 0 (SFT: prompts of each batch decoded greedily to report reward/mean). Default 8.</summary>
    public int RolloutsPerStep { get; init; } = 8;

    /// <summary>
    /// LoRA fine-tuning: adapters on these target modules are added to the policy (on top of whichever base was
    /// loaded: preset, checkpoint or Hugging Face folder) and only they train; the frozen reference stays the
    /// adapter-free base. Null trains every weight. Default null.
    /// </summary>
    public LoraOptions? Lora { get; init; }

    /// <summary>
    /// Forward/backward precision. <see cref="Precision.BFloat16"/> is mixed precision: float32 master weights and AdamW
    /// state (what checkpoints store), forward and backward on a bfloat16 working copy, losses in float32. Meant for
    /// CUDA; it also runs on the CPU (slower). Default <see cref="Precision.Float32"/>.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>The lower clip ε in effect.</summary>
    [JsonIgnore]
    public double EffectiveClipLow => ClipEpsilonLow ?? ClipEpsilon;

    /// <summary>The upper clip ε in effect.</summary>
    [JsonIgnore]
    public double EffectiveClipHigh => ClipEpsilonHigh ?? ClipEpsilon;

    /// <summary>Whether the run keeps a frozen copy of the starting policy: KL with Beta &gt; 0, or DPO/IPO.</summary>
    [JsonIgnore]
    public bool NeedsReference => Algorithm switch
    {
        TrainingAlgorithm.Sft or TrainingAlgorithm.RewardModel => false,
        TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp or TrainingAlgorithm.Ppo => Beta > 0,
        TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo => true,
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, null),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        var error = FirstError();
        if (error is not null) throw new ArgumentException(error);
    }

    /// <summary>The first validation message, or null when the options are consistent.</summary>
    public string? FirstError() => CommonError() ?? EvalError() ?? (Enum.IsDefined(Algorithm) ? AlgorithmError() : null);

    private string? CommonError()
    {
        if (!Enum.IsDefined(Algorithm)) return $"Unknown algorithm {Algorithm}.";
        if (Steps < 1) return "Steps must be at least 1.";
        if (BatchSize < 1) return "BatchSize must be at least 1.";
        if (!(LearningRate > 0 && LearningRate <= 1)) return "LearningRate must be in (0, 1].";
        if (MaxNewTokens < 1) return "MaxNewTokens must be at least 1.";
        if (!(Temperature >= 0 && Temperature <= 10)) return "Temperature must be in [0, 10] (0 is greedy).";
        if (!(WeightDecay >= 0)) return "WeightDecay must be ≥ 0.";
        if (!(MaxGradNorm >= 0)) return "MaxGradNorm must be ≥ 0 (0 disables clipping).";
        if (TopK < 0) return "TopK must be ≥ 0 (0 disables it).";
        if (!(TopP > 0 && TopP <= 1)) return "TopP must be in (0, 1].";
        if (EvalSamples < 0 || RolloutsPerStep < 0) return "EvalSamples and RolloutsPerStep must be ≥ 0.";
        if (Lora?.FirstError() is { } lora) return $"Lora: {lora}";
        if (!Enum.IsDefined(Precision)) return $"Unknown Precision {Precision}.";
        return null;
    }

    private string? EvalError()
    {
        if (EvalEvery < 0) return "EvalEvery must be ≥ 0 (0 disables evaluation).";
        if (EvalEvery == 0) return null;
        if (!(EvalFraction > 0 && EvalFraction <= 0.5)) return "EvalFraction must be in (0, 0.5] when EvalEvery > 0.";
        if (EvalSamples < 1) return "EvalSamples must be at least 1 when EvalEvery > 0 (held-out examples per evaluation).";
        if (PassK is < 1 or > 64) return "PassK must be in 1..64.";
        return null;
    }

    private string? AlgorithmError() => Algorithm switch
    {
        TrainingAlgorithm.Sft => null,
        TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp or TrainingAlgorithm.Ppo => PolicyGradientError(),
        TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo =>
            PreferenceBeta > 0 && PreferenceBeta <= 10 ? null : "PreferenceBeta must be in (0, 10].",
        TrainingAlgorithm.RewardModel => RewardMargin >= 0 && RewardMargin <= 10 ? null : "RewardMargin must be in [0, 10].",
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, null),
    };

    private string? PolicyGradientError()
    {
        var needsGroups = Algorithm is TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo
            || (Algorithm == TrainingAlgorithm.ReinforcePp && GroupBaseline);
        if (GroupSize < 1) return "GroupSize must be at least 1.";
        if (needsGroups && GroupSize < 2)
            return $"{Algorithm} needs GroupSize ≥ 2 (advantages compare completions of one prompt).";
        if (BatchSize % GroupSize != 0) return $"BatchSize {BatchSize} is not divisible by GroupSize {GroupSize}.";
        if (Temperature == 0)
            return $"{Algorithm} needs Temperature > 0: greedy completions of one prompt are identical, so it could not explore.";
        if (!(Beta >= 0 && Beta <= 10)) return "Beta must be in [0, 10].";
        if (!(ClipEpsilon > 0 && ClipEpsilon < 1)) return "ClipEpsilon must be in (0, 1).";
        if (!(EffectiveClipLow > 0 && EffectiveClipLow < 1)) return "ClipEpsilonLow must be in (0, 1).";
        if (!(EffectiveClipHigh <= 10)) return "ClipEpsilonHigh must be ≤ 10.";
        if (!(EffectiveClipHigh >= EffectiveClipLow)) return $"ClipEpsilonHigh ({EffectiveClipHigh}) must be ≥ ClipEpsilonLow ({EffectiveClipLow}).";
        if (PolicyUpdatesPerBatch is < 1 or > 64) return "PolicyUpdatesPerBatch must be in 1..64.";
        if (MiniBatches < 1 || BatchSize % MiniBatches != 0) return $"BatchSize {BatchSize} is not divisible by MiniBatches {MiniBatches}.";
        if (!Enum.IsDefined(ImportanceLevel)) return $"Unknown ImportanceLevel {ImportanceLevel}.";
        if (!Enum.IsDefined(LossAggregation)) return $"Unknown LossAggregation {LossAggregation}.";
        if (!Enum.IsDefined(AdvantageScale)) return $"Unknown AdvantageScale {AdvantageScale}.";
        if (Algorithm != TrainingAlgorithm.Ppo) return null;
        if (!(Gamma >= 0 && Gamma <= 1)) return "Gamma must be in [0, 1].";
        if (!(Lambda >= 0 && Lambda <= 1)) return "Lambda must be in [0, 1].";
        if (!(ValueClipEpsilon > 0 && ValueClipEpsilon <= 10)) return "ValueClipEpsilon must be in (0, 10].";
        if (!(ValueLossCoef >= 0 && ValueLossCoef <= 10)) return "ValueLossCoef must be in [0, 10].";
        return null;
    }
}
