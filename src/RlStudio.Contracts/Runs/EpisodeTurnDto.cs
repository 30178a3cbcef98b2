namespace RlStudio.Contracts.Runs;

/// <summary>
/// One turn of an agentic run's episode: the observation the agent answered, its action (the turn as written), the
/// environment's action-level reward, whether the turn was a valid action, and the turn's reward as training saw it
/// (weighted step reward, minus the invalid-action penalty, plus the task reward on the last turn).
/// </summary>
public sealed record EpisodeTurnDto(string Observation, string Action, double StepReward, bool ValidAction, double Reward);
