using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlStudio.Environments;

/// <summary>
/// A task-dataset line as JSON: <c>env</c> (a name in <see cref="EnvironmentCatalog"/>), <c>task</c> (what to do, in
/// words), <c>seed</c> (an integer, default 0), <c>parameters</c> (an object, the environment's own; optional) and
/// <c>demonstration</c> (the agent turns of a good episode, an array of strings; optional). Other fields are kept as the
/// line's metadata. A line is checked against its environment's schema (<see cref="EnvironmentCatalog.Validate"/>), and a
/// demonstration must play out (it may not run past the episode's end).
/// </summary>
public static class EnvironmentTaskJson
{
    public const string EnvField = "env";
    public const string TaskField = "task";
    private const string SeedField = "seed";
    private const string ParametersField = "parameters";
    private const string DemonstrationField = "demonstration";

    /// <summary>The task of a line, or what is wrong with it.</summary>
    public static (EnvironmentTask? Task, string? Error) Parse(JsonObject line)
    {
        var problems = new List<string>();
        var env = Text(line, EnvField);
        if (env is null) problems.Add(line.ContainsKey(EnvField) ? "\"env\" must be a string" : "\"env\" is missing");
        var task = Text(line, TaskField);
        if (task is null) problems.Add(line.ContainsKey(TaskField) ? "\"task\" must be a string" : "\"task\" is missing");
        var seed = 0;
        if (line.TryGetPropertyValue(SeedField, out var seedNode)
            && !(seedNode is JsonValue seedValue && seedValue.GetValueKind() == JsonValueKind.Number && seedValue.TryGetValue(out seed)))
            problems.Add("\"seed\" must be an integer");
        Dictionary<string, JsonElement>? parameters = null;
        if (line.TryGetPropertyValue(ParametersField, out var parametersNode))
        {
            if (parametersNode is JsonObject obj) parameters = obj.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value));
            else problems.Add("\"parameters\" must be an object");
        }
        List<string>? demonstration = null;
        if (line.TryGetPropertyValue(DemonstrationField, out var demonstrationNode))
        {
            if (demonstrationNode is JsonArray turns && turns.All(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String))
                demonstration = turns.Select(t => t!.GetValue<string>()).ToList();
            else problems.Add("\"demonstration\" must be an array of strings (the agent's turns)");
        }
        if (problems.Count > 0) return (null, string.Join("; ", problems));

        var result = new EnvironmentTask(env!, task!, seed, parameters, demonstration);
        if (EnvironmentCatalog.Validate(result) is { } invalid) return (null, invalid);
        if (demonstration is { Count: > 0 } && Demonstrations.Play(result, demonstration).Count(m => m.FromAgent) < demonstration.Count)
            return (null, "\"demonstration\" goes on after the episode has ended");
        return (result, null);
    }

    /// <summary>A stored task: its words (<paramref name="task"/>) and the line's other fields (<paramref name="metadata"/>, a JSON object text).</summary>
    public static EnvironmentTask Read(string task, string? metadata)
    {
        var line = metadata is null ? [] : JsonNode.Parse(metadata) as JsonObject ?? throw new JsonException("A task's metadata must be a JSON object.");
        line[TaskField] = task;
        var (parsed, error) = Parse(line);
        return parsed ?? throw new InvalidOperationException($"Stored task is invalid: {error}.");
    }

    private static string? Text(JsonObject obj, string field) =>
        obj.TryGetPropertyValue(field, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
