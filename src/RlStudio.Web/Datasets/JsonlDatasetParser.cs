using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Datasets;

/// <summary>
/// Reads a JSONL dataset: one JSON object per line with string <c>prompt</c> and <c>reference</c>; any other fields
/// become the item's metadata. Blank lines are skipped (but counted). Errors name the line (1-based).
/// </summary>
public static class JsonlDatasetParser
{
    public const int MaxReportedErrors = 20;

    public static async Task<(List<NewDatasetItem> Items, List<string> Errors)> ParseAsync(Stream content, CancellationToken cancellationToken)
    {
        var items = new List<NewDatasetItem>();
        var errors = new List<string>();
        using var reader = new StreamReader(content);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (ParseLine(line) is { } item)
            {
                items.Add(item);
            }
            else if (errors.Count < MaxReportedErrors)
            {
                errors.Add($"line {lineNumber}: {Problem(line)}");
            }
        }
        if (items.Count == 0 && errors.Count == 0)
        {
            errors.Add("the file has no items");
        }
        return (items, errors);
    }

    private static NewDatasetItem? ParseLine(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject obj
                || Text(obj, "prompt") is not { } prompt
                || Text(obj, "reference") is not { } reference)
            {
                return null;
            }
            obj.Remove("prompt");
            obj.Remove("reference");
            return new NewDatasetItem(prompt, reference, obj.Count == 0 ? null : obj.ToJsonString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Problem(string line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            return $"not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})";
        }
        if (node is not JsonObject obj)
        {
            return "expected a JSON object";
        }
        var missing = new[] { "prompt", "reference" }.Where(field => Text(obj, field) is null).ToList();
        return string.Join("; ", missing.Select(field => obj.ContainsKey(field) ? $"\"{field}\" must be a string" : $"\"{field}\" is missing"));
    }

    private static string? Text(JsonObject obj, string field) =>
        obj.TryGetPropertyValue(field, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
