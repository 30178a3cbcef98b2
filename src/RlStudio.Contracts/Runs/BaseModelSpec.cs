namespace RlStudio.Contracts.Runs;

/// <summary>
/// Where a run's weights start: exactly one of a named preset (<c>{"preset": "tiny"}</c>), a checkpoint
/// (<c>{"checkpointId": 12}</c>), the newest checkpoint of an earlier run (<c>{"runId": 3}</c>) or a local
/// Hugging Face model folder on the worker nodes (<c>{"modelPath": "/models/Qwen2.5-0.5B"}</c>: config.json,
/// model.safetensors or a sharded index, tokenizer.json; Llama/Qwen2/Mistral family).
/// </summary>
public sealed record BaseModelSpec(string? Preset = null, long? CheckpointId = null, long? RunId = null, string? ModelPath = null)
{
    public static readonly IReadOnlyList<string> Presets = ["tiny", "small"];
}
