namespace RlStudio.Environments;

/// <summary>
/// An environment an agent acts in over many turns (the shape verl-agent, ROLL and Mobile-R1 share): <see cref="Reset"/>
/// starts an episode of a task and gives the first observation; <see cref="Step"/> takes the model's whole turn, parses
/// it into an action (a turn that is no valid action changes nothing and says what was expected), applies it and answers
/// with the next observation and the step's reward. When the episode ends, <see cref="Succeeded"/> is the task-level
/// outcome. One instance plays one episode at a time; the episode runner keeps one per episode.
/// </summary>
public interface IEnvironment
{
    /// <summary>Starts an episode of <paramref name="task"/>; returns what the agent sees first.</summary>
    string Reset(EnvironmentTask task);

    /// <summary>Applies the model's turn.</summary>
    EnvironmentStep Step(string turn);

    /// <summary>Whether the task was accomplished (read when the episode is over, or when it ran out of turns).</summary>
    bool Succeeded { get; }
}
