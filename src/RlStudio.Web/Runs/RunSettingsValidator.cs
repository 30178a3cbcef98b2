using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Runs;

/// <summary>
/// Checks a raw <c>settings</c> object against <see cref="RunSettings"/>: keys the algorithm takes
/// (<see cref="RunSettingKeys"/>), JSON types (integers for int settings, booleans, named choices), ranges from the
/// property docs, and the combinations that cannot work (batch not divisible by group, greedy sampling for RL,
/// clip-high below clip-low, …). Errors are keyed <c>settings.{key}</c>.
/// </summary>
public static class RunSettingsValidator
{
    private enum Kind { Integer, Number, Boolean, Choice, ChoiceList, MetricKey }

    private sealed record Rule(string Key, Kind Kind, double Min = 0, double Max = 0, bool MinExclusive = false, bool MaxExclusive = false, string[]? Choices = null)
    {
        public string Range => $"{(MinExclusive ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}";
    }

    private static readonly Rule[] Rules =
    [
        new("steps", Kind.Integer, 1, 100_000),
        new("batchSize", Kind.Integer, 1, 4096),
        new("learningRate", Kind.Number, 0, 1, MinExclusive: true),
        new("maxNewTokens", Kind.Integer, 1, 2048),
        new("temperature", Kind.Number, 0, 10),
        new("checkpointEvery", Kind.Integer, 1, 100_000),
        new("groupSize", Kind.Integer, 1, 256),
        new("beta", Kind.Number, 0, 10),
        new("clipEpsilon", Kind.Number, 0, 1, MinExclusive: true, MaxExclusive: true),
        new("clipEpsilonLow", Kind.Number, 0, 1, MinExclusive: true, MaxExclusive: true),
        new("clipEpsilonHigh", Kind.Number, 0, 10, MinExclusive: true),
        new("policyUpdatesPerBatch", Kind.Integer, 1, 64),
        new("miniBatches", Kind.Integer, 1, 4096),
        new("importanceLevel", Kind.Choice, Choices: ["token", "sequence"]),
        new("lossAggregation", Kind.Choice, Choices: ["sequence_mean", "token_mean", "dr_grpo"]),
        new("advantageScale", Kind.Choice, Choices: ["group", "batch", "none"]),
        new("groupBaseline", Kind.Boolean),
        new("gamma", Kind.Number, 0, 1),
        new("lambda", Kind.Number, 0, 1),
        new("valueClipEpsilon", Kind.Number, 0, 10, MinExclusive: true),
        new("valueLossCoef", Kind.Number, 0, 10),
        new("whitenAdvantages", Kind.Boolean),
        new("preferenceBeta", Kind.Number, 0, 10, MinExclusive: true),
        new("rewardMargin", Kind.Number, 0, 10),
        new("weightDecay", Kind.Number, 0, 1),
        new("maxGradNorm", Kind.Number, 0, 1000),
        new("topK", Kind.Integer, 0, 100_000),
        new("topP", Kind.Number, 0, 1, MinExclusive: true),
        new("evalEvery", Kind.Integer, 0, 100_000),
        new("evalFraction", Kind.Number, 0, 0.5, MinExclusive: true),
        new("evalSamples", Kind.Integer, 0, 4096),
        new("passK", Kind.Integer, 1, 64),
        new("precision", Kind.Choice, Choices: ["float32", "bfloat16"]),
        new("loraRank", Kind.Integer, 0, 1024),
        new("loraAlpha", Kind.Number, 0, 4096, MinExclusive: true),
        new("loraTargets", Kind.ChoiceList, Choices: [.. RunSettingKeys.LoraModules]),
        new("keepLastCheckpoints", Kind.Integer, 0, 100_000),
        new("keepBestCheckpoints", Kind.Integer, 0, 100_000),
        new("bestCheckpointMetric", Kind.MetricKey),
        new("bestCheckpointGoal", Kind.Choice, Choices: ["max", "min"]),
    ];


    /// <summary>Validated settings (defaults for absent keys), or null with <paramref name="errors"/> filled. <paramref name="algorithm"/> null: unknown, so only per-key checks run.</summary>
    public static RunSettings? Validate(JsonObject? settings, Algorithm? algorithm, ValidationErrors errors)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (key, node) in settings ?? [])
        {
            var field = $"settings.{key}";
            var rule = Rules.FirstOrDefault(r => r.Key == key);
            if (rule is null)
            {
                errors.Add(field, $"unknown setting '{key}'; {Describe(algorithm)} takes: {string.Join(", ", Allowed(algorithm))}");
                ok = false;
            }
            else if (algorithm is { } a && !RunSettingKeys.For(a).Contains(key))
            {
                errors.Add(field, $"'{key}' does not apply to {Describe(algorithm)}; it takes: {string.Join(", ", Allowed(algorithm))}");
                ok = false;
            }
            else if (CheckValue(rule, node, field, errors))
            {
                values[key] = node;
            }
            else
            {
                ok = false;
            }
        }
        var result = Build(values);
        if (algorithm is { } known && ok)
        {
            ok = CheckCombinations(result, known, values.Keys, errors);
        }
        return ok ? result : null;
    }

    private static RunSettings Build(Dictionary<string, JsonNode?> values)
    {
        var d = new RunSettings();
        // Numbers are read back from their JSON text: a JsonValue built in code may hold an int, not a double.
        static double AsDouble(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        int Int(string key, int fallback) => values.TryGetValue(key, out var n) ? (int)AsDouble(n!) : fallback;
        double Num(string key, double fallback) => values.TryGetValue(key, out var n) ? AsDouble(n!) : fallback;
        double? OptionalNum(string key, double? fallback) => values.TryGetValue(key, out var n) ? AsDouble(n!) : fallback;
        bool Bool(string key, bool fallback) => values.TryGetValue(key, out var n) ? n!.GetValueKind() == JsonValueKind.True : fallback;
        T Choice<T>(string key, T fallback) => values.TryGetValue(key, out var n) ? JsonSerializer.Deserialize<T>(n!.ToJsonString())! : fallback;
        IReadOnlyList<string> Names(string key, IReadOnlyList<string> fallback) =>
            values.TryGetValue(key, out var n) ? n!.AsArray().Select(v => v!.GetValue<string>()).Distinct().ToList() : fallback;
        return new RunSettings
        {
            Steps = Int("steps", d.Steps),
            BatchSize = Int("batchSize", d.BatchSize),
            LearningRate = Num("learningRate", d.LearningRate),
            MaxNewTokens = Int("maxNewTokens", d.MaxNewTokens),
            Temperature = Num("temperature", d.Temperature),
            CheckpointEvery = Int("checkpointEvery", d.CheckpointEvery),
            GroupSize = Int("groupSize", d.GroupSize),
            Beta = Num("beta", d.Beta),
            ClipEpsilon = Num("clipEpsilon", d.ClipEpsilon),
            ClipEpsilonLow = OptionalNum("clipEpsilonLow", d.ClipEpsilonLow),
            ClipEpsilonHigh = OptionalNum("clipEpsilonHigh", d.ClipEpsilonHigh),
            PolicyUpdatesPerBatch = Int("policyUpdatesPerBatch", d.PolicyUpdatesPerBatch),
            MiniBatches = Int("miniBatches", d.MiniBatches),
            ImportanceLevel = Choice("importanceLevel", d.ImportanceLevel),
            LossAggregation = Choice("lossAggregation", d.LossAggregation),
            AdvantageScale = Choice("advantageScale", d.AdvantageScale),
            GroupBaseline = Bool("groupBaseline", d.GroupBaseline),
            Gamma = Num("gamma", d.Gamma),
            Lambda = Num("lambda", d.Lambda),
            ValueClipEpsilon = Num("valueClipEpsilon", d.ValueClipEpsilon),
            ValueLossCoef = Num("valueLossCoef", d.ValueLossCoef),
            WhitenAdvantages = Bool("whitenAdvantages", d.WhitenAdvantages),
            PreferenceBeta = Num("preferenceBeta", d.PreferenceBeta),
            RewardMargin = Num("rewardMargin", d.RewardMargin),
            WeightDecay = Num("weightDecay", d.WeightDecay),
            MaxGradNorm = Num("maxGradNorm", d.MaxGradNorm),
            TopK = Int("topK", d.TopK),
            TopP = Num("topP", d.TopP),
            EvalEvery = Int("evalEvery", d.EvalEvery),
            EvalFraction = Num("evalFraction", d.EvalFraction),
            EvalSamples = Int("evalSamples", d.EvalSamples),
            PassK = Int("passK", d.PassK),
            Precision = Choice("precision", d.Precision),
            LoraRank = Int("loraRank", d.LoraRank),
            LoraAlpha = Num("loraAlpha", d.LoraAlpha),
            LoraTargets = Names("loraTargets", d.LoraTargets),
            KeepLastCheckpoints = Int("keepLastCheckpoints", d.KeepLastCheckpoints),
            KeepBestCheckpoints = Int("keepBestCheckpoints", d.KeepBestCheckpoints),
            BestCheckpointMetric = values.TryGetValue("bestCheckpointMetric", out var metric) ? metric!.GetValue<string>().Trim() : d.BestCheckpointMetric,
            BestCheckpointGoal = Choice("bestCheckpointGoal", d.BestCheckpointGoal),
        };
    }

    /// <summary>Rules between settings; each error names the setting to change.</summary>
    private static bool CheckCombinations(RunSettings s, Algorithm algorithm, IEnumerable<string> given, ValidationErrors errors)
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

    private static bool CheckValue(Rule rule, JsonNode? node, string field, ValidationErrors errors)
    {
        var kind = (node as JsonValue)?.GetValueKind();
        switch (rule.Kind)
        {
            case Kind.Boolean:
                if (kind is JsonValueKind.True or JsonValueKind.False) return true;
                errors.Add(field, "must be true or false");
                return false;
            case Kind.Choice:
                if (kind == JsonValueKind.String && rule.Choices!.Contains(node!.GetValue<string>())) return true;
                errors.Add(field, $"must be one of: {string.Join(", ", rule.Choices!)}");
                return false;
            case Kind.ChoiceList:
                if (node is JsonArray { Count: > 0 } list && list.All(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String && rule.Choices!.Contains(s.GetValue<string>())))
                    return true;
                errors.Add(field, $"must be a non-empty array of: {string.Join(", ", rule.Choices!)}");
                return false;
            case Kind.MetricKey:
                if (kind == JsonValueKind.String && node!.GetValue<string>().Trim() is { Length: > 0 and <= MetricPoint.MaxKeyLength } key && !key.Any(char.IsControl))
                    return true;
                errors.Add(field, $"must be a metric key such as \"eval/exact_match/pass@1\" (1..{MetricPoint.MaxKeyLength} characters)");
                return false;
        }
        // ToJsonString works for parsed values (JsonElement inside) and for values built in code (int, double, …).
        if (kind != JsonValueKind.Number || !double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(field, rule.Kind == Kind.Integer ? "must be an integer" : "must be a number");
            return false;
        }
        if (rule.Kind == Kind.Integer && !double.IsInteger(number))
        {
            errors.Add(field, $"must be an integer, not {Format(number)}");
            return false;
        }
        var tooLow = rule.MinExclusive ? number <= rule.Min : number < rule.Min;
        var tooHigh = rule.MaxExclusive ? number >= rule.Max : number > rule.Max;
        if (!double.IsFinite(number) || tooLow || tooHigh)
        {
            errors.Add(field, $"{Format(number)} is out of range {rule.Range}");
            return false;
        }
        return true;
    }

    private static IReadOnlyList<string> Allowed(Algorithm? algorithm) =>
        algorithm is { } a ? RunSettingKeys.For(a) : Rules.Select(r => r.Key).ToList();

    private static string Describe(Algorithm? algorithm) => algorithm is { } a ? Name(a) : "any algorithm";

    private static string Name(Algorithm algorithm) => WireName.Of(algorithm);

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
