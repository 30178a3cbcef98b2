namespace RlStudio.Environments;

/// <summary>The environments runs may name (<see cref="EnvironmentTask.Env"/>).</summary>
public static class EnvironmentCatalog
{
    private static readonly IEnvironmentKind[] Kinds = [new NumberGuessEnvironment.Kind(), new CalculatorEnvironment.Kind(), new PhoneAppEnvironment.Kind()];

    public static IReadOnlyList<string> Names { get; } = Kinds.Select(k => k.Name).ToArray();

    /// <summary>The kind named <paramref name="name"/>; throws naming the known ones otherwise.</summary>
    public static IEnvironmentKind Get(string name) =>
        Kinds.FirstOrDefault(k => k.Name == name)
        ?? throw new ArgumentException($"Unknown environment '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>What is wrong with <paramref name="task"/> (unknown environment, missing task text, bad parameters), or null.</summary>
    public static string? Validate(EnvironmentTask task)
    {
        if (Kinds.FirstOrDefault(k => k.Name == task.Env) is not { } kind) return $"unknown environment '{task.Env}' (known: {string.Join(", ", Names)})";
        if (string.IsNullOrWhiteSpace(task.Task)) return "task: required (what the agent is asked to do)";
        return kind.Validate(task);
    }
}
