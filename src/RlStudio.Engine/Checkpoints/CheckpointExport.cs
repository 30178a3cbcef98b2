using RlStudio.Engine.HuggingFace;

namespace RlStudio.Engine.Checkpoints;

/// <summary>Turns any stored checkpoint into a Hugging Face folder, so a worker can export without a trainer.</summary>
public static class CheckpointExport
{
    /// <summary>
    /// Reads the checkpoint's policy and tokenizer (the stream is read up to the policy weights and left open) and
    /// writes config.json, model.safetensors and tokenizer.json to <paramref name="folder"/>; LoRA adapters are merged.
    /// </summary>
    public static void ToHuggingFace(Stream checkpoint, string folder)
    {
        var (header, model) = CheckpointFormat.ReadBase(checkpoint);
        using var policy = model;
        HfModelFolder.Export(policy, header.CreateTokenizer(), folder);
    }
}
