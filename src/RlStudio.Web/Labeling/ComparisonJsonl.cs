using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Labeling;

namespace RlStudio.Web.Labeling;

/// <summary>
/// Reads an imported comparison batch: one JSON object per line with string <c>prompt</c>, <c>response_a</c> and
/// <c>response_b</c> (and optionally <c>reference</c>). Blank lines are skipped; errors name the line (1-based).
/// </summary>
public static class ComparisonJsonl
{
    public const int MaxReportedErrors = 20;

    public static async Task<(List<ComparisonItemDto> Items, List<string> Errors)> ParseAsync(Stream content, CancellationToken cancellationToken)
    {
        var items = new List<ComparisonItemDto>();
        var errors = new List<string>();
        using var reader = new StreamReader(content);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (Item(line, items.Count) is { } item) items.Add(item);
            else if (errors.Count < MaxReportedErrors) errors.Add($"line {number}: {Problem(line)}");
            else break;
        }
        if (items.Count == 0 && errors.Count == 0) errors.Add("the file has no items");
        if (items.Count > ComparisonBatchRules.MaxImportedItems) errors.Add($"at most {ComparisonBatchRules.MaxImportedItems} items per batch (got {items.Count})");
        return (items, errors);
    }

    private static ComparisonItemDto? Item(string line, int ordinal) =>
        Problem(line) is null && JsonNode.Parse(line) is JsonObject o
            ? new ComparisonItemDto(ordinal, (string)o["prompt"]!, (string)o["response_a"]!, (string)o["response_b"]!, o["reference"]?.GetValue<string>())
            : null;

    private static string? Problem(string line)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(line); }
        catch (JsonException e) { return $"not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]})"; }
        if (node is not JsonObject o) return "must be a JSON object with prompt, response_a and response_b";
        foreach (var field in new[] { "prompt", "response_a", "response_b" })
        {
            if (o[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String) return $"\"{field}\" must be a string";
        }
        if (o["reference"] is { } reference && (reference is not JsonValue r || r.GetValueKind() != JsonValueKind.String)) return "\"reference\" must be a string";
        return null;
    }
}
