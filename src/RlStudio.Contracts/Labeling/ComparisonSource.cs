namespace RlStudio.Contracts.Labeling;

/// <summary>
/// A model whose responses a comparison batch shows: a checkpoint (<see cref="CheckpointId"/>, or the newest of run
/// <see cref="RunId"/>), a preset, or a Hugging Face folder on the worker nodes. Exactly one is set.
/// </summary>
public sealed record ComparisonSource(long? CheckpointId = null, long? RunId = null, string? Preset = null, string? ModelPath = null)
{
    /// <summary>How the source reads in lists: "checkpoint #12", "run #3", "preset tiny", "/models/x", or "imported".</summary>
    public string Describe() =>
        CheckpointId is { } c ? $"checkpoint #{c}" : RunId is { } r ? $"run #{r}" : Preset is { } p ? $"preset {p}" : ModelPath ?? "imported";
}
