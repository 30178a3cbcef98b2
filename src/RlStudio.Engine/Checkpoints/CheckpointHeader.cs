using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;

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

    /// <summary>The run's tokenizer.json text (a Hugging Face base's byte-level BPE); null for the engine's byte tokenizer. Default null.</summary>
    public string? TokenizerJson { get; init; }

    /// <summary>EOS id of <see cref="TokenizerJson"/> (from the base's config.json); null with the byte tokenizer. Default null.</summary>
    public int? TokenizerEosId { get; init; }

    /// <summary>PAD id of <see cref="TokenizerJson"/>; null with the byte tokenizer. Default null.</summary>
    public int? TokenizerPadId { get; init; }

    /// <summary>This header with the tokenizer fields describing <paramref name="tokenizer"/>.</summary>
    public CheckpointHeader WithTokenizer(ITokenizer tokenizer) => tokenizer switch
    {
        ByteTokenizer => this with { TokenizerJson = null, TokenizerEosId = null, TokenizerPadId = null },
        ByteLevelBpeTokenizer bpe => this with { TokenizerJson = bpe.Json, TokenizerEosId = bpe.EosId, TokenizerPadId = bpe.PadId },
        _ => throw new NotSupportedException($"Checkpoints cannot store a {tokenizer.GetType().Name}."),
    };

    /// <summary>The run's tokenizer: the stored byte-level BPE, or the byte tokenizer when none is stored.</summary>
    public ITokenizer CreateTokenizer() => TokenizerJson is null
        ? ByteTokenizer.Instance
        : ByteLevelBpeTokenizer.FromJson(TokenizerJson, TokenizerEosId, TokenizerPadId);
}
