namespace RlStudio.Environments;

/// <summary>
/// How episodes are played and scored: at most <see cref="MaxTurns"/> agent turns; a turn's reward is
/// <see cref="StepRewardWeight"/> × the environment's action-level reward, minus <see cref="InvalidActionPenalty"/> for a
/// turn that is no valid action; the task reward (1 on success) is added to the last turn.
/// </summary>
public sealed record EpisodeSettings(int MaxTurns = 8, double InvalidActionPenalty = 0.1, double StepRewardWeight = 0.1)
{
    public string? Validate() =>
        MaxTurns < 1 ? "MaxTurns must be ≥ 1."
        : InvalidActionPenalty < 0 || !double.IsFinite(InvalidActionPenalty) ? "InvalidActionPenalty must be ≥ 0."
        : StepRewardWeight < 0 || !double.IsFinite(StepRewardWeight) ? "StepRewardWeight must be ≥ 0."
        : null;
}
