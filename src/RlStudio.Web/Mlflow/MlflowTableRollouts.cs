using System.Globalization;
using System.Text.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// A table an external run logs (<c>mlflow.log_table</c>: JSON with <c>columns</c> and <c>data</c>, pandas' "split"
/// layout; or a list of row objects) whose columns include a prompt, a response and a score becomes the run's rollouts,
/// so its samples show on the run page like a native run's. Column names, case-insensitive: prompt <c>prompt</c>,
/// <c>prompts</c>, <c>input</c>, <c>query</c>; response <c>response</c>, <c>completion</c>, <c>completions</c>,
/// <c>output</c>; score <c>reward</c>, <c>rewards</c>, <c>score</c>, <c>scores</c>; optional <c>step</c> and <c>reference</c>.
/// </summary>
public static class MlflowTableRollouts
{
    private static readonly string[] PromptColumns = ["prompt", "prompts", "input", "query"];
    private static readonly string[] ResponseColumns = ["response", "completion", "completions", "output"];
    private static readonly string[] ScoreColumns = ["reward", "rewards", "score", "scores"];

    /// <summary>The samples of a table file, or null when it is not such a table (then it stays only an artifact).</summary>
    public static IReadOnlyList<RolloutDto>? TryRead(byte[] content, int currentStep)
    {
        List<Dictionary<string, JsonElement>> rows;
        try
        {
            using var document = JsonDocument.Parse(content);
            rows = Rows(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
        if (rows.Count == 0) return null;
        var columns = rows[0].Keys.ToList();
        string? Find(string[] names) => columns.FirstOrDefault(c => names.Contains(c, StringComparer.OrdinalIgnoreCase));
        var (prompt, response, score) = (Find(PromptColumns), Find(ResponseColumns), Find(ScoreColumns));
        if (prompt is null || response is null || score is null) return null;
        var (step, reference) = (Find(["step"]), Find(["reference", "answer", "ground_truth"]));
        var samples = new List<RolloutDto>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (Number(row.GetValueOrDefault(score)) is not { } reward) continue;
            var rowStep = Number(row.GetValueOrDefault(step ?? "")) is { } s && s >= 0 && s <= int.MaxValue ? (int)s : currentStep;
            var completion = Text(row.GetValueOrDefault(response)) ?? "";
            samples.Add(new RolloutDto(rowStep, i, Text(row.GetValueOrDefault(prompt)) ?? "", completion, reference is null ? null : Text(row.GetValueOrDefault(reference)),
                reward, new Dictionary<string, double?> { [score] = reward }, null, 0));
        }
        return samples.Count == 0 ? null : samples;
    }

    private static List<Dictionary<string, JsonElement>> Rows(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("columns", out var columns) && root.TryGetProperty("data", out var data)
            && columns.ValueKind == JsonValueKind.Array && data.ValueKind == JsonValueKind.Array)
        {
            var names = columns.EnumerateArray().Select(c => c.ToString()).ToList();
            return data.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Array)
                .Select(r => names.Zip(r.EnumerateArray()).ToDictionary(p => p.First, p => p.Second.Clone(), StringComparer.Ordinal)).ToList();
        }
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object)
                .Select(r => r.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)).ToList();
        }
        return [];
    }

    private static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } v => v.ToString(),
        null => null,
    };

    private static double? Number(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } v when double.IsFinite(v.GetDouble()) => v.GetDouble(),
        { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };
}
