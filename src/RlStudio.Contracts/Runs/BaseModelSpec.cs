namespace RlStudio.Contracts.Runs;

/// <summary>
/// Where a run's weights start: exactly one of a named preset (<c>{"preset": "tiny"}</c>), a checkpoint
/// (<c>{"checkpointId": 12}</c>) or the newest checkpoint of an earlier run (<c>{"runId": 3}</c>).
/// </summary>
public sealed record BaseModelSpec(string? Preset = null, long? CheckpointId = null, long? RunId = null)
{
    public static readonly IReadOnlyList<string> Presets = ["tiny", "small"];
}
