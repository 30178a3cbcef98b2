namespace RlStudio.Engine;

/// <summary>Where a new run's weights start.</summary>
public abstract record ModelSource
{
    private ModelSource() { }

    /// <summary>A fresh, seeded model of a named preset ("tiny", "small").</summary>
    public sealed record Preset(string Name) : ModelSource;

    /// <summary>Config and weights of a saved checkpoint (its optimizer and counters are ignored).</summary>
    public sealed record Checkpoint(Func<Stream> Open) : ModelSource;

    /// <summary>A local Hugging Face folder (config.json, *.safetensors, tokenizer.json); see <c>HuggingFace.HfModelFolder</c>.</summary>
    public sealed record HuggingFaceFolder(string Path) : ModelSource;
}
