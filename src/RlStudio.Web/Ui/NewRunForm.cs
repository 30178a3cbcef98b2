using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Ui;

/// <summary>
/// The New Run dialog's editable state, prefilled with <see cref="RunSettings"/>' defaults, and its mapping to
/// the wire's <see cref="CreateRunRequest"/>: only the settings the chosen algorithm takes are sent
/// (<see cref="RunSettingKeys"/>), plus any extra keys typed as JSON. Range checks are the server's: its errors
/// come back keyed <c>settings.&lt;key&gt;</c> and are shown next to the fields.
/// </summary>
public sealed class NewRunForm
{
    public enum BaseKind { Preset, EarlierRun, Checkpoint, ModelFolder }

    private static readonly RunSettings Defaults = new();

    public string Name { get; set; } = $"run-{DateTime.UtcNow:yyyyMMdd-HHmm}";
    public string Experiment { get; set; } = "default";
    public Algorithm Algorithm { get; set; } = Algorithm.Grpo;
    public string? Dataset { get; set; }
    public BaseKind Base { get; set; } = BaseKind.Preset;
    public string Preset { get; set; } = BaseModelSpec.Presets[0];
    public long? BaseRunId { get; set; }
    public long? BaseCheckpointId { get; set; }
    public string ModelPath { get; set; } = "";
    public bool UseLora { get; set; }
    public int LoraRank { get; set; } = 8;
    public double LoraAlpha { get; set; } = 16;
    public IReadOnlyCollection<string> LoraTargets { get; set; } = [.. RunSettings.DefaultLoraTargets];
    public long? Seed { get; set; }

    public bool ExactMatch { get; set; } = true;
    public double ExactMatchWeight { get; set; } = 1.0;
    public bool NumericMatch { get; set; }
    public double NumericMatchWeight { get; set; } = 1.0;
    public bool JsonValid { get; set; }
    public double JsonValidWeight { get; set; } = 1.0;
    public bool Regex { get; set; }
    public string RegexPattern { get; set; } = "^\\d+$";
    public double RegexWeight { get; set; } = 0.5;
    public bool LengthPenalty { get; set; }
    public int LengthTarget { get; set; } = 64;
    public double LengthWeight { get; set; } = 1.0;
    public bool RewardModel { get; set; }
    public long? RewardModelRunId { get; set; }
    public double RewardModelWeight { get; set; } = 1.0;

    public int Steps { get; set; } = Defaults.Steps;
    public int BatchSize { get; set; } = Defaults.BatchSize;
    public double LearningRate { get; set; } = Defaults.LearningRate;
    public int MaxNewTokens { get; set; } = Defaults.MaxNewTokens;
    public double Temperature { get; set; } = Defaults.Temperature;
    public int CheckpointEvery { get; set; } = Defaults.CheckpointEvery;
    public int KeepLastCheckpoints { get; set; } = Defaults.KeepLastCheckpoints;
    public int EvalEvery { get; set; } = Defaults.EvalEvery;
    public int GroupSize { get; set; } = Defaults.GroupSize;
    public double Beta { get; set; } = Defaults.Beta;
    public double ClipEpsilon { get; set; } = Defaults.ClipEpsilon;
    public int PolicyUpdatesPerBatch { get; set; } = Defaults.PolicyUpdatesPerBatch;
    public int MiniBatches { get; set; } = Defaults.MiniBatches;
    public double Gamma { get; set; } = Defaults.Gamma;
    public double Lambda { get; set; } = Defaults.Lambda;
    public bool GroupBaseline { get; set; } = Defaults.GroupBaseline;
    public double PreferenceBeta { get; set; } = Defaults.PreferenceBeta;
    public double RewardMargin { get; set; } = Defaults.RewardMargin;

    /// <summary>The run's queue (blank: <c>default</c>) and its priority there (higher starts first).</summary>
    public string Queue { get; set; } = "default";
    public int Priority { get; set; }

    /// <summary>Any other settings as a JSON object (e.g. <c>{"lossAggregation": "token_mean"}</c>); they override the fields.</summary>
    public string ExtraSettings { get; set; } = "";

    public bool IsPolicyGradient => Algorithm.IsPolicyGradient();

    public bool UsesPreferences => Algorithm.DataKind() == DatasetKind.Preferences;

    /// <summary>
    /// A form that queues the same run again: same algorithm, dataset, base, rewards, settings (those without a field of
    /// their own go to <see cref="ExtraSettings"/> when they differ from the default), seed, queue and priority.
    /// </summary>
    public static NewRunForm CopyOf(RunDto run)
    {
        var s = run.Settings;
        var form = new NewRunForm
        {
            Name = $"{run.Name}-copy"[..Math.Min(run.Name.Length + 5, 200)],
            Experiment = run.Experiment,
            Algorithm = run.Algorithm,
            Dataset = run.DatasetName,
            Seed = run.Seed,
            Queue = run.Queue,
            Priority = run.Priority,
            Steps = s.Steps, BatchSize = s.BatchSize, LearningRate = s.LearningRate, MaxNewTokens = s.MaxNewTokens,
            Temperature = s.Temperature, CheckpointEvery = s.CheckpointEvery, KeepLastCheckpoints = s.KeepLastCheckpoints,
            EvalEvery = s.EvalEvery, GroupSize = s.GroupSize, Beta = s.Beta, ClipEpsilon = s.ClipEpsilon,
            PolicyUpdatesPerBatch = s.PolicyUpdatesPerBatch, MiniBatches = s.MiniBatches, Gamma = s.Gamma, Lambda = s.Lambda,
            GroupBaseline = s.GroupBaseline, PreferenceBeta = s.PreferenceBeta, RewardMargin = s.RewardMargin,
            UseLora = s.LoraRank > 0, LoraRank = s.LoraRank > 0 ? s.LoraRank : 8, LoraAlpha = s.LoraAlpha, LoraTargets = [.. s.LoraTargets],
            ExactMatch = false,
        };
        (form.Base, form.Preset, form.BaseRunId, form.BaseCheckpointId, form.ModelPath) = run.Base switch
        {
            { CheckpointId: { } id } => (BaseKind.Checkpoint, form.Preset, (long?)null, (long?)id, ""),
            { RunId: { } id } => (BaseKind.EarlierRun, form.Preset, id, null, ""),
            { ModelPath: { } path } => (BaseKind.ModelFolder, form.Preset, null, null, path),
            { Preset: { } preset } => (BaseKind.Preset, preset, null, null, ""),
            _ => (BaseKind.Preset, form.Preset, null, null, ""),
        };
        foreach (var reward in run.Rewards)
        {
            switch (reward.Type)
            {
                case RewardType.ExactMatch: (form.ExactMatch, form.ExactMatchWeight) = (true, reward.Weight); break;
                case RewardType.NumericMatch: (form.NumericMatch, form.NumericMatchWeight) = (true, reward.Weight); break;
                case RewardType.JsonValid: (form.JsonValid, form.JsonValidWeight) = (true, reward.Weight); break;
                case RewardType.Regex: (form.Regex, form.RegexWeight, form.RegexPattern) = (true, reward.Weight, reward.Pattern ?? form.RegexPattern); break;
                case RewardType.LengthPenalty: (form.LengthPenalty, form.LengthWeight, form.LengthTarget) = (true, reward.Weight, reward.TargetTokens ?? form.LengthTarget); break;
                case RewardType.RewardModel: (form.RewardModel, form.RewardModelWeight, form.RewardModelRunId) = (true, reward.Weight, reward.RunId); break;
            }
        }
        form.ExtraSettings = OtherSettings(run);
        return form;
    }

    /// <summary>The run's settings that have no field of their own and differ from the default, as a JSON object (or "").</summary>
    private static string OtherSettings(RunDto run)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var actual = JsonSerializer.SerializeToNode(run.Settings, options)!.AsObject();
        var defaults = JsonSerializer.SerializeToNode(Defaults, options)!.AsObject();
        string[] own = [.. new NewRunForm().FieldValues().Keys, "loraRank", "loraAlpha", "loraTargets"];
        var extra = new JsonObject();
        foreach (var key in RunSettingKeys.For(run.Algorithm).Except(own))
        {
            var value = actual[key];
            if (!JsonNode.DeepEquals(value, defaults[key])) extra[key] = value?.DeepClone();
        }
        return extra.Count == 0 ? "" : extra.ToJsonString();
    }

    /// <summary>Whether the chosen algorithm takes a setting (by its wire name).</summary>
    public bool Takes(string key) => RunSettingKeys.For(Algorithm).Contains(key);

    /// <summary>The datasets the chosen algorithm can train on.</summary>
    public IEnumerable<DatasetDto> Usable(IEnumerable<DatasetDto> datasets) => datasets.Where(d => d.Kind == Algorithm.DataKind());

    /// <summary>Reward functions as sent: RL algorithms optimize them, SFT scores its samples with them, preference algorithms take none.</summary>
    public IReadOnlyList<RewardSpecRequest> Rewards()
    {
        if (UsesPreferences) return [];
        var rewards = new List<RewardSpecRequest>();
        if (ExactMatch) rewards.Add(new RewardSpecRequest("exact_match", ExactMatchWeight));
        if (NumericMatch) rewards.Add(new RewardSpecRequest("numeric_match", NumericMatchWeight));
        if (JsonValid) rewards.Add(new RewardSpecRequest("json_valid", JsonValidWeight));
        if (Regex) rewards.Add(new RewardSpecRequest("regex", RegexWeight, Pattern: RegexPattern));
        if (LengthPenalty) rewards.Add(new RewardSpecRequest("length_penalty", LengthWeight, TargetTokens: LengthTarget));
        if (RewardModel) rewards.Add(new RewardSpecRequest("reward_model", RewardModelWeight, RunId: RewardModelRunId));
        return rewards;
    }

    /// <summary>The settings that have a field of their own, by wire name.</summary>
    private Dictionary<string, JsonNode?> FieldValues() => new()
    {
        ["steps"] = Steps, ["batchSize"] = BatchSize, ["learningRate"] = LearningRate, ["maxNewTokens"] = MaxNewTokens,
        ["temperature"] = Temperature, ["checkpointEvery"] = CheckpointEvery, ["keepLastCheckpoints"] = KeepLastCheckpoints, ["evalEvery"] = EvalEvery, ["groupSize"] = GroupSize,
        ["beta"] = Beta, ["clipEpsilon"] = ClipEpsilon, ["policyUpdatesPerBatch"] = PolicyUpdatesPerBatch, ["miniBatches"] = MiniBatches, ["gamma"] = Gamma,
        ["lambda"] = Lambda, ["groupBaseline"] = GroupBaseline, ["preferenceBeta"] = PreferenceBeta, ["rewardMargin"] = RewardMargin,
    };

    /// <summary>The request, or a message when <see cref="ExtraSettings"/> is not a JSON object.</summary>
    public (CreateRunRequest? Request, string? Error) ToRequest()
    {
        var settings = new JsonObject();
        foreach (var (key, value) in FieldValues().Where(f => Takes(f.Key))) settings[key] = value;
        if (UseLora)
        {
            settings["loraRank"] = LoraRank;
            settings["loraAlpha"] = LoraAlpha;
            settings["loraTargets"] = new JsonArray([.. LoraTargets.Select(t => (JsonNode?)JsonValue.Create(t))]);
        }
        if (!string.IsNullOrWhiteSpace(ExtraSettings))
        {
            try
            {
                if (JsonNode.Parse(ExtraSettings) is not JsonObject extra) return (null, "Advanced settings must be a JSON object, e.g. {\"lossAggregation\": \"token_mean\"}");
                foreach (var (key, value) in extra) settings[key] = value?.DeepClone();
            }
            catch (JsonException e)
            {
                return (null, $"Advanced settings are not valid JSON: {e.Message}");
            }
        }

        var baseSpec = Base switch
        {
            BaseKind.Preset => new BaseModelSpec(Preset: Preset),
            BaseKind.EarlierRun => new BaseModelSpec(RunId: BaseRunId),
            BaseKind.Checkpoint => new BaseModelSpec(CheckpointId: BaseCheckpointId),
            BaseKind.ModelFolder => new BaseModelSpec(ModelPath: ModelPath.Trim()),
            _ => throw new ArgumentOutOfRangeException(nameof(Base), Base, null),
        };

        return (new CreateRunRequest(
            Name: Name.Trim(),
            Experiment: string.IsNullOrWhiteSpace(Experiment) ? null : Experiment.Trim(),
            Algorithm: WireName.Of(Algorithm),
            Dataset: Dataset,
            Base: baseSpec,
            Rewards: Rewards(),
            Settings: settings,
            Seed: Seed,
            Queue: string.IsNullOrWhiteSpace(Queue) ? null : Queue.Trim(),
            Priority: Priority), null);
    }
}
