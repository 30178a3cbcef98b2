namespace RlStudio.Environments;

/// <summary>
/// Demonstration episodes for SFT warm starts: a task's demonstrated turns (<see cref="IEnvironmentKind.Demonstrate"/>, or
/// turns a person wrote) played through the environment, so the conversation carries the observations the agent will
/// really see.
/// </summary>
public static class Demonstrations
{
    /// <summary>The conversation of <paramref name="turns"/> played on <paramref name="task"/> (stopping early if the episode ends).</summary>
    public static IReadOnlyList<ConversationMessage> Play(EnvironmentTask task, IReadOnlyList<string> turns)
    {
        var environment = EnvironmentCatalog.Get(task.Env).Create();
        var conversation = new List<ConversationMessage> { new(false, environment.Reset(task)) };
        foreach (var turn in turns)
        {
            var step = environment.Step(turn);
            conversation.Add(new ConversationMessage(true, turn));
            conversation.Add(new ConversationMessage(false, step.Observation));
            if (step.Done) break;
        }
        return conversation;
    }

    /// <summary>The task's own demonstration when it has one (<see cref="EnvironmentTask.Demonstration"/>), else the built-in one.</summary>
    public static IReadOnlyList<ConversationMessage> For(EnvironmentTask task) => task.Demonstration is { Count: > 0 } turns ? Play(task, turns) : Of(task);

    /// <summary>The built-in demonstration of <paramref name="task"/>.</summary>
    public static IReadOnlyList<ConversationMessage> Of(EnvironmentTask task) => Play(task, EnvironmentCatalog.Get(task.Env).Demonstrate(task));
}
