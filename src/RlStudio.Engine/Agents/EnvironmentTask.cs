using System.Text.Json;

namespace RlStudio.Engine.Agents;

/// <summary>
/// One task for an agent: the environment that plays it (<see cref="Env"/>, a name in <see cref="EnvironmentCatalog"/>),
/// what to do in words (<see cref="Task"/>), the seed its episodes start from, and the environment's own parameters.
/// A line of a task dataset (JSONL) is one of these.
/// </summary>
public sealed record EnvironmentTask(string Env, string Task, int Seed, IReadOnlyDictionary<string, JsonElement>? Parameters = null)
{
    /// <summary>An integer parameter, or <paramref name="fallback"/> when it is absent.</summary>
    public int Int(string name, int fallback) =>
        Parameters is not null && Parameters.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)
            ? i : fallback;
}
