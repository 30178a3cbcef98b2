using System.Text.Json.Serialization;

namespace RlStudio.Engine.Model;

/// <summary>Shape of a Llama-style decoder. Serialized into checkpoint headers.</summary>
public sealed record ModelConfig
{
    /// <summary>Vocabulary size: 256 bytes + PAD, BOS, EOS by default.</summary>
    public int VocabSize { get; init; } = Tokenization.ByteTokenizer.VocabularySize;

    /// <summary>Residual stream width. Default 128.</summary>
    public int DModel { get; init; } = 128;

    /// <summary>Number of decoder layers. Default 2.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Query heads. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads (grouped-query attention); must divide <see cref="Heads"/>. Default 2.</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Hidden width of the SwiGLU MLP. Default 384.</summary>
    public int FfnHidden { get; init; } = 384;

    /// <summary>Longest sequence (prompt + completion) the model handles. Default 128.</summary>
    public int MaxSeq { get; init; } = 128;

    /// <summary>RoPE base frequency. Default 10000.</summary>
    public double RopeTheta { get; init; } = 10_000;

    /// <summary>Share the embedding matrix with the output head. Default true.</summary>
    public bool TieEmbeddings { get; init; } = true;

    /// <summary>RMSNorm epsilon. Default 1e-5.</summary>
    public double NormEps { get; init; } = 1e-5;

    /// <summary>Biases on the q/k/v projections (Qwen2); Llama has none. Default false.</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Low-rank adapters on the targeted linear layers (only they train); null for none. Default null.</summary>
    public LoraOptions? Lora { get; init; }

    [JsonIgnore]
    public int HeadDim => DModel / Heads;

    /// <summary>~0.4M parameters: learns small arithmetic on a CPU in about a minute.</summary>
    public static ModelConfig Tiny { get; } = new();

    /// <summary>~10M parameters.</summary>
    public static ModelConfig Small { get; } = new()
    {
        DModel = 384, Layers = 6, Heads = 6, KvHeads = 2, FfnHidden = 1152, MaxSeq = 256,
    };

    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "small"];

    /// <summary>The named preset; throws for an unknown name.</summary>
    public static ModelConfig FromPreset(string name) => name.Trim().ToLowerInvariant() switch
    {
        "tiny" => Tiny,
        "small" => Small,
        _ => throw new ArgumentException(
            $"Unknown model preset '{name}'. Known presets: {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        Require(VocabSize > 0, "VocabSize must be positive.");
        Require(DModel > 0 && Layers > 0 && Heads > 0 && KvHeads > 0 && FfnHidden > 0 && MaxSeq > 0,
            "DModel, Layers, Heads, KvHeads, FfnHidden and MaxSeq must be positive.");
        Require(DModel % Heads == 0, $"DModel ({DModel}) must be divisible by Heads ({Heads}).");
        Require(HeadDim % 2 == 0, $"The head dimension ({HeadDim}) must be even for RoPE.");
        Require(Heads % KvHeads == 0, $"Heads ({Heads}) must be divisible by KvHeads ({KvHeads}).");
        Require(RopeTheta > 0, "RopeTheta must be positive.");
        Lora?.Validate();
    }
}
