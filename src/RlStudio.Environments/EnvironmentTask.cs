using System.Text.Json;

namespace RlStudio.Environments;

/// <summary>
/// One task for an agent: the environment that plays it (<see cref="Env"/>, a name in <see cref="EnvironmentCatalog"/>),
/// what to do in words (<see cref="Task"/>), the seed its episodes start from, and the environment's own parameters.
/// A line of a task dataset (JSONL) is one of these; a line may also carry a <see cref="Demonstration"/>: the agent turns
/// of a good episode, written by a person or another agent, which SFT warm starts learn from (else the environment
/// demonstrates its own).
/// </summary>
public sealed record EnvironmentTask(string Env, string Task, int Seed, IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    IReadOnlyList<string>? Demonstration = null)
{
    /// <summary>An integer parameter, or <paramref name="fallback"/> when it is absent.</summary>
    public int Int(string name, int fallback) =>
        Parameters is not null && Parameters.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)
            ? i : fallback;
}
