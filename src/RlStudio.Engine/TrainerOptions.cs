using RlStudio.Engine.Algorithms;

namespace RlStudio.Engine;

/// <summary>Training settings; defaults match the wire defaults of a run's settings.</summary>
public sealed record TrainerOptions
{
    /// <summary>Default <see cref="TrainingAlgorithm.Sft"/>.</summary>
    public TrainingAlgorithm Algorithm { get; init; } = TrainingAlgorithm.Sft;

    /// <summary>Optimizer steps of the run. Default 100.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Completions per optimizer step (GRPO: prompts × GroupSize). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>AdamW learning rate (constant). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Tokens generated per completion (EOS included). Default 8.</summary>
    public int MaxNewTokens { get; init; } = 8;

    /// <summary>Sampling temperature; 0 is greedy (SFT eval is always greedy). Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>GRPO: completions per prompt; must divide BatchSize. Default 8.</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>GRPO: k3 KL weight against the frozen reference; 0 skips the reference model. Default 0.04.</summary>
    public double Beta { get; init; } = 0.04;

    /// <summary>GRPO: ratio clip ε (both sides). Default 0.2.</summary>
    public double ClipEpsilon { get; init; } = 0.2;

    /// <summary>Run seed: model init, data order and sampling all derive from it. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>AdamW weight decay. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip; 0 disables. Default 1.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>GRPO: token-loss aggregation. Default <see cref="LossAggregation.SequenceMean"/>.</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.SequenceMean;

    /// <summary>GRPO: advantage scaling. Default <see cref="AdvantageScale.Group"/>.</summary>
    public AdvantageScale AdvantageScale { get; init; } = AdvantageScale.Group;

    /// <summary>Sampling top-k; 0 disables. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Sampling top-p; 1 disables. Default 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>SFT: prompts of each batch decoded greedily to report reward/mean. Default 8; 0 disables.</summary>
    public int EvalSamples { get; init; } = 8;

    /// <summary>Rollout records returned per step. Default 8.</summary>
    public int RolloutsPerStep { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        var error = FirstError();
        if (error is not null) throw new ArgumentException(error);
    }

    /// <summary>The first validation message, or null when the options are consistent.</summary>
    public string? FirstError()
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
        if (Algorithm != TrainingAlgorithm.Grpo) return null;
        if (GroupSize < 2) return "GRPO needs GroupSize ≥ 2 (advantages compare completions of one prompt).";
        if (BatchSize % GroupSize != 0) return $"BatchSize ({BatchSize}) must be divisible by GroupSize ({GroupSize}).";
        if (Temperature == 0) return "GRPO needs Temperature > 0: greedy completions of one prompt are identical, so every advantage would be 0.";
        if (!(Beta >= 0 && Beta <= 10)) return "Beta must be in [0, 10].";
        if (!(ClipEpsilon > 0 && ClipEpsilon < 1)) return "ClipEpsilon must be in (0, 1).";
        return null;
    }
}
