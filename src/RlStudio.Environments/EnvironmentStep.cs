namespace RlStudio.Environments;

/// <summary>
/// What an environment answers to one model turn: the next observation, the step's action-level reward (0 when the
/// environment gives none), whether the episode is over, whether the turn was a valid action, and counters the
/// environment reports (they become <c>env/info/…</c> metrics).
/// </summary>
public sealed record EnvironmentStep(string Observation, double StepReward, bool Done, bool ValidAction, IReadOnlyDictionary<string, double>? Info = null);
