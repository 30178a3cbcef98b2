namespace RlStudio.Environments;

/// <summary>
/// One turn of an episode: the observation the agent answered, its turn, the environment's action-level reward, whether
/// the turn was a valid action, and the turn's reward as training sees it (<see cref="EpisodeRunner"/>: weighted step
/// reward, minus the invalid-action penalty, plus the task reward on the last turn).
/// </summary>
public sealed record EpisodeTurn(string Observation, string Action, double StepReward, bool ValidAction, double Reward);

/// <summary>
/// A played episode: its task, its turns, the outcome (task reward 1 on success, else 0), counters, and the whole
/// conversation (what <see cref="TrajectoryLayout"/> lays out for training).
/// </summary>
public sealed record Episode(EnvironmentTask Task, IReadOnlyList<EpisodeTurn> Turns, bool Succeeded, double TaskReward, IReadOnlyDictionary<string, double> Info,
    IReadOnlyList<ConversationMessage> Conversation)
{
    /// <summary>The sum of the turns' rewards.</summary>
    public double Return => Turns.Sum(t => t.Reward);

    public int InvalidActions => Turns.Count(t => !t.ValidAction);
}
