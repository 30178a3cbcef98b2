using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;

namespace RlStudio.Bench;

/// <summary>The trainer options a run of an algorithm gets when it sets nothing: the platform's defaults, which the benchmark measures.</summary>
public static class RunDefaults
{
    public static TrainerOptions For(Algorithm algorithm) => TrainerOptionsJson.Read(WireName.Of(algorithm), RunSettings.For(algorithm).ToJson());
}
