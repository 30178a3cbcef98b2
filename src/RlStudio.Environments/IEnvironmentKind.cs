namespace RlStudio.Environments;

/// <summary>
/// A kind of environment, registered by <see cref="Name"/> in <see cref="EnvironmentCatalog"/>: checks a task spec for
/// it, creates environments, and shows how to solve a task (demonstrations for SFT warm starts and tests).
/// Adding an environment = one class implementing <see cref="IEnvironment"/>, one implementing this, one line in the
/// catalog (see <see cref="NumberGuessEnvironment"/>).
/// </summary>
public interface IEnvironmentKind
{
    string Name { get; }

    /// <summary>What is wrong with <paramref name="task"/> for this environment (its parameters), or null when it is playable.</summary>
    string? Validate(EnvironmentTask task);

    IEnvironment Create();

    /// <summary>The turns of a successful episode of <paramref name="task"/>, as a good agent would write them.</summary>
    IReadOnlyList<string> Demonstrate(EnvironmentTask task);
}
