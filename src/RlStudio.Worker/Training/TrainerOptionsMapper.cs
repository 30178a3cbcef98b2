using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;

namespace RlStudio.Worker.Training;

/// <summary>Maps a validated run spec (wire vocabulary) to the engine's trainer options: its settings as JSON, read by the engine.</summary>
public static class TrainerOptionsMapper
{
    public static TrainerOptions Map(RunSpec spec) =>
        TrainerOptionsJson.Read(WireName.Of(spec.Algorithm), spec.Settings.ToJson()) with { Seed = spec.Seed };
}
