using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Datasets;
using RlStudio.Data.Storage;
using RlStudio.Environments;

namespace RlStudio.Web.Datasets;

/// <summary>
/// Reads a JSONL dataset, one JSON object per line, and detects its kind from the first object: string <c>prompt</c>
/// and <c>reference</c> (a prompt dataset), string <c>prompt</c>, <c>chosen</c> and <c>rejected</c> (a preference
/// dataset), or an <c>env</c> (a task dataset: each line an environment task, checked against its environment by
/// <see cref="EnvironmentTaskJson"/>; the task's words are stored as the item's prompt). Every line must then be of that
/// kind; any other fields become the item's metadata. Blank lines are skipped (but counted). Errors name the line (1-based).
/// </summary>
public static class JsonlDatasetParser
{
    public const int MaxReportedErrors = 20;

    private static readonly string[] PromptFields = ["prompt", "reference"];
    private static readonly string[] PreferenceFields = ["prompt", "chosen", "rejected"];

    public static async Task<(List<NewDatasetItem> Items, DatasetKind Kind, List<string> Errors)> ParseAsync(Stream content, CancellationToken cancellationToken)
    {
        var items = new List<NewDatasetItem>();
        var errors = new List<string>();
        DatasetKind? kind = null;
        using var reader = new StreamReader(content);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var (obj, syntaxError) = ParseObject(line);
            kind ??= obj is null ? null : Detect(obj);
            var problem = syntaxError ?? Problem(obj!, kind ?? DatasetKind.Prompts);
            if (problem is null)
            {
                items.Add(ToItem(obj!, kind!.Value));
            }
            else if (errors.Count < MaxReportedErrors)
            {
                errors.Add($"line {lineNumber}: {problem}");
            }
        }
        if (items.Count == 0 && errors.Count == 0)
        {
            errors.Add("the file has no items");
        }
        return (items, kind ?? DatasetKind.Prompts, errors);
    }

    private static DatasetKind Detect(JsonObject obj) =>
        obj.ContainsKey(EnvironmentTaskJson.EnvField) ? DatasetKind.Tasks
        : obj.ContainsKey("chosen") || obj.ContainsKey("rejected") ? DatasetKind.Preferences
        : DatasetKind.Prompts;

    private static NewDatasetItem ToItem(JsonObject obj, DatasetKind kind)
    {
        if (kind == DatasetKind.Tasks)
        {
            var task = Text(obj, EnvironmentTaskJson.TaskField)!;
            obj.Remove(EnvironmentTaskJson.TaskField);
            return new NewDatasetItem(task, "", obj.ToJsonString());
        }
        var fields = Fields(kind);
        var values = fields.ToDictionary(f => f, f => Text(obj, f)!);
        foreach (var field in fields) obj.Remove(field);
        var metadata = obj.Count == 0 ? null : obj.ToJsonString();
        return kind switch
        {
            DatasetKind.Prompts => new NewDatasetItem(values["prompt"], values["reference"], metadata),
            DatasetKind.Preferences => new NewDatasetItem(values["prompt"], "", metadata, values["chosen"], values["rejected"]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static (JsonObject? Object, string? Error) ParseObject(string line)
    {
        try
        {
            return JsonNode.Parse(line) is JsonObject obj ? (obj, null) : (null, "expected a JSON object");
        }
        catch (JsonException e)
        {
            return (null, $"not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})");
        }
    }

    /// <summary>What is wrong with a line of a dataset of <paramref name="kind"/>, or null.</summary>
    private static string? Problem(JsonObject obj, DatasetKind kind)
    {
        if (kind == DatasetKind.Tasks)
        {
            var (_, error) = EnvironmentTaskJson.Parse(obj);
            return error ?? (obj.ToJsonString().Contains("\\u0000", StringComparison.Ordinal) ? "contains a NUL character (\\u0000), which cannot be stored" : null);
        }
        var problems = Fields(kind).Where(field => Text(obj, field) is null)
            .Select(field => obj.ContainsKey(field) ? $"\"{field}\" must be a string" : $"\"{field}\" is missing")
            .ToList();
        problems.AddRange(Fields(kind).Where(field => Text(obj, field)?.Contains('\0') == true)
            .Select(field => $"\"{field}\" contains a NUL character (\\u0000), which cannot be stored"));
        if (kind == DatasetKind.Prompts && (obj.ContainsKey("chosen") || obj.ContainsKey("rejected")))
            problems.Add("has \"chosen\"/\"rejected\" but the file is a prompt dataset (its first line has prompt + reference)");
        if (kind != DatasetKind.Tasks && obj.ContainsKey(EnvironmentTaskJson.EnvField))
            problems.Add("has \"env\" but the file is not a task dataset (its first line has no \"env\")");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string[] Fields(DatasetKind kind) => kind switch
    {
        DatasetKind.Prompts => PromptFields,
        DatasetKind.Preferences => PreferenceFields,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string? Text(JsonObject obj, string field) =>
        obj.TryGetPropertyValue(field, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
