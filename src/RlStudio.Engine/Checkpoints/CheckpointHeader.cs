using RlStudio.Engine.Model;

namespace RlStudio.Engine.Checkpoints;

/// <summary>The JSON header of a checkpoint: enough to rebuild the model and to resume the run.</summary>
public sealed record CheckpointHeader
{
    public int FormatVersion { get; init; } = CheckpointFormat.Version;
    public required ModelConfig Model { get; init; }
    public required TrainingAlgorithm Algorithm { get; init; }
    /// <summary>Optimizer steps completed when the checkpoint was written.</summary>
    public required int CompletedSteps { get; init; }
    /// <summary>Examples consumed from the run's data stream.</summary>
    public required long DataCursor { get; init; }
    public required TrainerOptions Options { get; init; }
    public required long ParameterCount { get; init; }
    /// <summary>Whether a frozen reference model's weights follow the optimizer state (GRPO with β &gt; 0).</summary>
    public required bool HasReference { get; init; }
    /// <summary>Whether scalar-head weights (PPO value head, reward-model score head) follow the policy weights. Default false.</summary>
    public bool HasHead { get; init; }
}
