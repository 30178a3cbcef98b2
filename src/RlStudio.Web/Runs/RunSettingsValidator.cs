using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Web.Runs;

/// <summary>
/// Checks a raw <c>settings</c> object against the run settings' declarations (<see cref="RunSettingCatalog"/>): keys the
/// algorithm takes, JSON kinds (integers for whole-number settings, booleans, named choices), ranges, and the
/// combinations that cannot work (batch not divisible by group, greedy sampling for RL, clip-high below clip-low, …).
/// Absent keys take the algorithm's defaults. Errors are keyed <c>settings.{key}</c>.
/// </summary>
public static class RunSettingsValidator
{
    /// <summary>Validated settings, or null with <paramref name="errors"/> filled. <paramref name="algorithm"/> null: unknown, so only per-key checks run.</summary>
    /// <param name="data">The dataset's kind when known: a task dataset (an agentic run) takes the agent settings instead of maxNewTokens.</param>
    public static RunSettings? Validate(JsonObject? settings, Algorithm? algorithm, ValidationErrors errors, DatasetKind? data = null)
    {
        var result = algorithm is { } known ? RunSettings.For(known) : new RunSettings();
        var ok = true;
        foreach (var (key, node) in settings ?? [])
        {
            var field = $"settings.{key}";
            var setting = RunSettingCatalog.Find(key);
            if (setting is null)
            {
                errors.Add(field, $"unknown setting '{key}'; {Describe(algorithm)} takes: {string.Join(", ", Allowed(algorithm))}");
                ok = false;
            }
            else if (algorithm is { } a && !setting.Takes(a))
            {
                errors.Add(field, $"'{key}' does not apply to {Describe(algorithm)}; it takes: {string.Join(", ", Allowed(algorithm))}");
                ok = false;
            }
            else if (algorithm is { } b && data is { } kind && !setting.Takes(b, kind))
            {
                errors.Add(field, setting.Scope == SettingScope.Agent
                    ? $"'{key}' applies to agentic runs only (a task dataset); this dataset holds {WireName.Of(kind)}"
                    : $"'{key}' does not apply to agentic runs (a task dataset); they limit each turn with maxTokensPerTurn");
                ok = false;
            }
            else if (CheckValue(setting, node) is { } problem)
            {
                errors.Add(field, problem);
                ok = false;
            }
            else
            {
                result = setting.With(result, setting.FromJson(node));
            }
        }
        if (algorithm is { } given && ok)
        {
            ok = CheckCombinations(result, given, settings?.Select(s => s.Key).ToArray() ?? [], errors);
            if (data == DatasetKind.Tasks) ok &= CheckAgentic(result, given, errors);
        }
        return ok ? result : null;
    }

    /// <summary>
    /// <paramref name="current"/> with <paramref name="overrides"/>, validated as a whole like a new run's settings: the current
    /// ones as a request would give them (those the run takes that differ from the algorithm's defaults), then the overrides.
    /// Errors are keyed <c>settings.{key}</c>.
    /// </summary>
    public static RunSettings? ValidateOverrides(RunSettings current, JsonObject overrides, Algorithm algorithm, ValidationErrors errors, DatasetKind? data = null)
    {
        var taken = (data is { } kind ? RunSettingCatalog.For(algorithm, kind) : RunSettingCatalog.For(algorithm)).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var defaults = RunSettingCatalog.DefaultsFor(algorithm).ToJson();
        var merged = new JsonObject(current.ToJson()
            .Where(p => taken.Contains(p.Key) && !JsonNode.DeepEquals(p.Value, defaults[p.Key]))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        foreach (var (key, value) in overrides) merged[key] = value?.DeepClone();
        return Validate(merged, algorithm, errors, data);
    }

    /// <summary>Rules between settings; each error names the setting to change.</summary>
    private static bool CheckCombinations(RunSettings s, Algorithm algorithm, IReadOnlyCollection<string> given, ValidationErrors errors)
    {
        var count = errors.Count;
        if (algorithm.IsPolicyGradient())
        {
            var needsGroups = algorithm is Algorithm.Grpo or Algorithm.Rloo || (algorithm == Algorithm.ReinforcePp && s.GroupBaseline);
            if (needsGroups && s.GroupSize < 2)
                errors.Add("settings.groupSize", $"{Name(algorithm)} compares completions of one prompt: groupSize must be at least 2");
            else if (s.BatchSize % s.GroupSize != 0)
                errors.Add("settings.batchSize", $"batchSize {s.BatchSize} is not divisible by groupSize {s.GroupSize}");
            if (s.BatchSize % s.MiniBatches != 0)
                errors.Add("settings.miniBatches", $"batchSize {s.BatchSize} is not divisible by miniBatches {s.MiniBatches}");
            if (s.Temperature <= 0)
                errors.Add("settings.temperature", $"{Name(algorithm)} needs temperature > 0: a greedy group has identical completions and no advantage");
            var low = s.ClipEpsilonLow ?? s.ClipEpsilon;
            var high = s.ClipEpsilonHigh ?? s.ClipEpsilon;
            if (high < low)
                errors.Add(given.Contains("clipEpsilonHigh") ? "settings.clipEpsilonHigh" : "settings.clipEpsilonLow",
                    $"clipEpsilonHigh {Format(high)} must be ≥ clipEpsilonLow {Format(low)}");
        }
        if (s.EvalEvery > 0 && s.EvalSamples < 1)
            errors.Add("settings.evalSamples", "evaluation (evalEvery > 0) needs evalSamples ≥ 1");
        if (s.KeepBestCheckpoints > 0 && s.KeepLastCheckpoints == 0)
            errors.Add("settings.keepBestCheckpoints", "keepBestCheckpoints needs keepLastCheckpoints ≥ 1 (keepLastCheckpoints 0 keeps every checkpoint)");
        if (s.KeepBestCheckpoints > 0 && s.BestCheckpointMetric is null)
            errors.Add("settings.bestCheckpointMetric", "keepBestCheckpoints needs the metric that ranks checkpoints, e.g. \"eval/exact_match/pass@1\"");
        if (s.KeepBestCheckpoints == 0 && (given.Contains("bestCheckpointMetric") || given.Contains("bestCheckpointGoal")))
            errors.Add(given.Contains("bestCheckpointMetric") ? "settings.bestCheckpointMetric" : "settings.bestCheckpointGoal",
                "ranks checkpoints only for keepBestCheckpoints ≥ 1");
        return errors.Count == count;
    }

    /// <summary>Rules of agentic runs (mirrored by the engine's own checks, which name them the same way).</summary>
    private static bool CheckAgentic(RunSettings s, Algorithm algorithm, ValidationErrors errors)
    {
        var count = errors.Count;
        if (s.AdvantageMode == AdvantageModeSetting.Gigpo && algorithm is not (Algorithm.Grpo or Algorithm.Rloo))
            errors.Add("settings.advantageMode", $"gigpo compares steps within a task's group of episodes: it works with grpo or rloo, not {Name(algorithm)}");
        if (algorithm.IsPolicyGradient() && s.MiniBatches > 1)
            errors.Add("settings.miniBatches", "agentic runs update on the whole batch of episodes: miniBatches must be 1");
        return errors.Count == count;
    }

    /// <summary>What is wrong with a value of a setting's kind and range, or null.</summary>
    private static string? CheckValue(RunSettingDescriptor setting, JsonNode? node)
    {
        var kind = (node as JsonValue)?.GetValueKind();
        switch (setting.Kind)
        {
            case SettingKind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
            case SettingKind.Choice:
                return kind == JsonValueKind.String && setting.Choices.Contains(node!.GetValue<string>()) ? null
                    : $"must be one of: {string.Join(", ", setting.Choices)}";
            case SettingKind.ChoiceList:
                return node is JsonArray { Count: > 0 } list
                    && list.All(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String && setting.Choices.Contains(s.GetValue<string>()))
                    ? null : $"must be a non-empty array of: {string.Join(", ", setting.Choices)}";
            case SettingKind.MetricKey:
                return kind == JsonValueKind.String && node!.GetValue<string>().Trim() is { Length: > 0 } key && key.Length <= setting.MaxLength && !key.Any(char.IsControl)
                    ? null : $"must be a metric key such as \"eval/exact_match/pass@1\" (1..{setting.MaxLength} characters)";
        }
        if (kind == JsonValueKind.Null && setting.IsNullable) return null;
        // ToJsonString works for parsed values (JsonElement inside) and for values built in code (int, double, …).
        if (kind != JsonValueKind.Number || !double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return setting.Kind == SettingKind.Integer ? "must be an integer" : "must be a number";
        if (setting.Kind == SettingKind.Integer && !double.IsInteger(number))
            return $"must be an integer, not {Format(number)}";
        return setting.InRange(number) ? null : $"{Format(number)} is out of range {setting.Range}";
    }

    private static IReadOnlyList<string> Allowed(Algorithm? algorithm) =>
        algorithm is { } a ? RunSettingCatalog.KeysFor(a) : RunSettingCatalog.All.Select(d => d.Key).ToList();

    private static string Describe(Algorithm? algorithm) => algorithm is { } a ? Name(a) : "any algorithm";

    private static string Name(Algorithm algorithm) => WireName.Of(algorithm);

    private static string Format(double value) => RunSettingDescriptor.Format(value);
}
