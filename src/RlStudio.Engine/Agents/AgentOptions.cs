using RlStudio.Environments;
namespace RlStudio.Engine.Agents;

/// <summary>
/// What an agentic run adds to <see cref="TrainerOptions"/> (whose algorithm, group size, learning rate, temperature and
/// <c>MaxNewTokens</c> — the tokens of one turn — apply as for single-turn runs): how episodes are played and scored, and
/// how their turns get advantages.
/// </summary>
public sealed record AgentOptions
{
    public EpisodeSettings Episodes { get; init; } = new();

    public EpisodeAdvantageMode AdvantageMode { get; init; } = EpisodeAdvantageMode.Episode;

    /// <summary>GiGPO's w: the weight of the step advantage added to the episode advantage.</summary>
    public double StepAdvantageWeight { get; init; } = 1.0;

    public string? Validate() =>
        Episodes.Validate() ?? (StepAdvantageWeight < 0 || !double.IsFinite(StepAdvantageWeight) ? "StepAdvantageWeight must be ≥ 0." : null);
}
