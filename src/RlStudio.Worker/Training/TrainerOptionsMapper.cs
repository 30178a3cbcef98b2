using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Agents;
using RlStudio.Environments;

namespace RlStudio.Worker.Training;

/// <summary>
/// Maps a validated run spec (wire vocabulary) to the engine's trainer options: its settings as JSON, read by the engine;
/// and, for agentic runs, its agent settings to <see cref="AgentOptions"/>.
/// </summary>
public static class TrainerOptionsMapper
{
    /// <param name="data">The kind of the run's dataset: in an agentic run (tasks) a turn is the engine's completion, so its length limit is maxTokensPerTurn.</param>
    public static TrainerOptions Map(RunSpec spec, DatasetKind data = DatasetKind.Prompts)
    {
        var options = TrainerOptionsJson.Read(WireName.Of(spec.Algorithm), spec.Settings.ToJson()) with { Seed = spec.Seed };
        return data == DatasetKind.Tasks ? options with { MaxNewTokens = spec.Settings.MaxTokensPerTurn } : options;
    }

    public static AgentOptions MapAgent(RunSpec spec)
    {
        var s = spec.Settings;
        return new AgentOptions
        {
            Episodes = new EpisodeSettings(s.MaxTurns, s.InvalidActionPenalty, s.StepRewardWeight),
            AdvantageMode = s.AdvantageMode switch
            {
                AdvantageModeSetting.Episode => EpisodeAdvantageMode.Episode,
                AdvantageModeSetting.Gigpo => EpisodeAdvantageMode.Gigpo,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), s.AdvantageMode, null),
            },
            StepAdvantageWeight = s.StepAdvantageWeight,
        };
    }
}
