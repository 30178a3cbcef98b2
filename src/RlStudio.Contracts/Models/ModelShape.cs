namespace RlStudio.Contracts.Models;

/// <summary>
/// The size of a Llama-style decoder, as the web host knows a base model before any worker loads it. The presets
/// mirror the engine's <c>ModelConfig</c> presets (a test keeps them equal).
/// </summary>
public sealed record ModelShape(int VocabSize, int DModel, int Layers, int Heads, int KvHeads, int FfnHidden, int MaxSeq, bool TieEmbeddings)
{
    public static readonly ModelShape Tiny = new(259, 128, 2, 4, 2, 384, 128, true);

    public static readonly ModelShape Small = new(259, 384, 6, 6, 2, 1152, 256, true);

    /// <summary>A preset by name, or null.</summary>
    public static ModelShape? ForPreset(string name) => name switch
    {
        "tiny" => Tiny,
        "small" => Small,
        _ => null,
    };

    public int HeadDim => DModel / Heads;

    /// <summary>Parameters of a decoder of this shape.</summary>
    public long ParameterCount
    {
        get
        {
            long d = DModel, kv = (long)KvHeads * HeadDim;
            var layer = d * d * 2 + d * kv * 2 + 3 * d * FfnHidden + 2 * d;
            var embedding = (long)VocabSize * d;
            return embedding + Layers * layer + d + (TieEmbeddings ? 0 : embedding);
        }
    }
}
