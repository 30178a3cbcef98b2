using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Runs;

/// <summary>
/// Checks a raw <c>settings</c> object against <see cref="RunSettings"/>: known keys for the algorithm, JSON types
/// (integers for int settings), ranges from the property docs, and GRPO's batch/group divisibility.
/// Errors are keyed <c>settings.{key}</c>.
/// </summary>
public static class RunSettingsValidator
{
    private enum Kind { Integer, Number }

    private sealed record Rule(string Key, Kind Kind, double Min, double Max, bool MinExclusive, bool MaxExclusive, bool GrpoOnly)
    {
        public string Range => $"{(MinExclusive ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}";
    }

    private static readonly Rule[] Rules =
    [
        new("steps", Kind.Integer, 1, 100_000, false, false, false),
        new("batchSize", Kind.Integer, 1, 4096, false, false, false),
        new("learningRate", Kind.Number, 0, 1, true, false, false),
        new("maxNewTokens", Kind.Integer, 1, 2048, false, false, false),
        new("temperature", Kind.Number, 0, 10, false, false, false),
        new("checkpointEvery", Kind.Integer, 1, 100_000, false, false, false),
        new("groupSize", Kind.Integer, 2, 256, false, false, true),
        new("beta", Kind.Number, 0, 10, false, false, true),
        new("clipEpsilon", Kind.Number, 0, 1, true, true, true),
    ];

    public static IReadOnlyList<string> KnownKeys(Algorithm algorithm) =>
        Rules.Where(r => !r.GrpoOnly || algorithm == Algorithm.Grpo).Select(r => r.Key).ToList();

    /// <summary>Validated settings (defaults for absent keys), or null with <paramref name="errors"/> filled. <paramref name="algorithm"/> null: unknown, so only per-key checks run.</summary>
    public static RunSettings? Validate(JsonObject? settings, Algorithm? algorithm, ValidationErrors errors)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (key, node) in settings ?? [])
        {
            var field = $"settings.{key}";
            var rule = Rules.FirstOrDefault(r => r.Key == key);
            if (rule is null)
            {
                errors.Add(field, $"unknown setting '{key}'; known for {Describe(algorithm)}: {string.Join(", ", KnownKeys(algorithm ?? Algorithm.Grpo))}");
                ok = false;
                continue;
            }
            if (rule.GrpoOnly && algorithm == Algorithm.Sft)
            {
                errors.Add(field, $"'{key}' applies only to grpo, not sft");
                ok = false;
                continue;
            }
            if (CheckValue(rule, node, field, errors) is { } value)
            {
                values[key] = value;
            }
            else
            {
                ok = false;
            }
        }

        var defaults = new RunSettings();
        var result = new RunSettings
        {
            Steps = (int)values.GetValueOrDefault("steps", defaults.Steps),
            BatchSize = (int)values.GetValueOrDefault("batchSize", defaults.BatchSize),
            LearningRate = values.GetValueOrDefault("learningRate", defaults.LearningRate),
            MaxNewTokens = (int)values.GetValueOrDefault("maxNewTokens", defaults.MaxNewTokens),
            Temperature = values.GetValueOrDefault("temperature", defaults.Temperature),
            CheckpointEvery = (int)values.GetValueOrDefault("checkpointEvery", defaults.CheckpointEvery),
            GroupSize = (int)values.GetValueOrDefault("groupSize", defaults.GroupSize),
            Beta = values.GetValueOrDefault("beta", defaults.Beta),
            ClipEpsilon = values.GetValueOrDefault("clipEpsilon", defaults.ClipEpsilon),
        };
        if (algorithm == Algorithm.Grpo && !errors.Has("settings.batchSize") && !errors.Has("settings.groupSize")
            && result.BatchSize % result.GroupSize != 0)
        {
            errors.Add("settings.batchSize", $"batchSize {result.BatchSize} is not divisible by groupSize {result.GroupSize}");
            ok = false;
        }
        if (algorithm == Algorithm.Grpo && !errors.Has("settings.temperature") && result.Temperature <= 0)
        {
            errors.Add("settings.temperature", "grpo needs temperature > 0: a greedy group has identical completions and no advantage");
            ok = false;
        }
        return ok ? result : null;
    }

    private static double? CheckValue(Rule rule, JsonNode? node, string field, ValidationErrors errors)
    {
        // ToJsonString works for parsed values (JsonElement inside) and for values built in code (int, double, …).
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number
            || !double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(field, rule.Kind == Kind.Integer ? "must be an integer" : "must be a number");
            return null;
        }
        if (rule.Kind == Kind.Integer && !double.IsInteger(number))
        {
            errors.Add(field, $"must be an integer, not {Format(number)}");
            return null;
        }
        var tooLow = rule.MinExclusive ? number <= rule.Min : number < rule.Min;
        var tooHigh = rule.MaxExclusive ? number >= rule.Max : number > rule.Max;
        if (!double.IsFinite(number) || tooLow || tooHigh)
        {
            errors.Add(field, $"{Format(number)} is out of range {rule.Range}");
            return null;
        }
        return number;
    }

    private static string Describe(Algorithm? algorithm) => algorithm switch
    {
        Algorithm.Sft => "sft",
        Algorithm.Grpo => "grpo",
        null => "any algorithm",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
