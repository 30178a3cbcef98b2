using System.Text.Json.Nodes;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Web.Ui;

/// <summary>
/// The New Run dialog's editable state and its mapping to the wire's <see cref="CreateRunRequest"/>. Settings start as the
/// chosen algorithm's defaults (<see cref="RunSettings.For"/>); switching algorithm takes the new one's defaults but keeps
/// what the user changed. Only settings that differ from the algorithm's defaults are sent. Range checks are the
/// server's: its errors come back keyed <c>settings.&lt;key&gt;</c> and are shown next to the fields.
/// </summary>
public sealed class NewRunForm
{
    public enum BaseKind { Preset, EarlierRun, Checkpoint, ModelFolder }

    private readonly HashSet<string> _edited = new(StringComparer.Ordinal);
    private Algorithm _algorithm = Algorithm.Grpo;

    public string Name { get; set; } = $"run-{DateTime.UtcNow:yyyyMMdd-HHmm}";
    public string Experiment { get; set; } = "default";

    /// <summary>The algorithm; setting it rebases <see cref="Settings"/> on its defaults, keeping the edited values.</summary>
    public Algorithm Algorithm
    {
        get => _algorithm;
        set
        {
            var edited = RunSettingCatalog.All.Where(d => _edited.Contains(d.Key)).Select(d => (d, Value: d.Get(Settings))).ToArray();
            _algorithm = value;
            Settings = edited.Aggregate(RunSettings.For(value), (settings, e) => e.d.With(settings, e.Value));
        }
    }

    /// <summary>The settings as they will be asked for (the algorithm's defaults plus the user's changes).</summary>
    public RunSettings Settings { get; private set; } = RunSettings.For(Algorithm.Grpo);

    public string? Dataset { get; set; }

    /// <summary>The datasets to choose from (the dialog's list): the chosen one's kind decides whether the run is agentic.</summary>
    public IReadOnlyList<DatasetDto> Datasets { get; set; } = [];

    /// <summary>The chosen dataset's kind (prompts until one is chosen).</summary>
    public DatasetKind DataKind => Datasets.FirstOrDefault(d => d.Name == Dataset)?.Kind ?? DatasetKind.Prompts;

    /// <summary>An agentic run: a task dataset, rewarded by its environment, with the agent settings.</summary>
    public bool IsAgentic => DataKind == DatasetKind.Tasks;
    public BaseKind Base { get; set; } = BaseKind.Preset;
    public string Preset { get; set; } = BaseModelSpec.Presets[0];
    public long? BaseRunId { get; set; }
    public long? BaseCheckpointId { get; set; }
    public string ModelPath { get; set; } = "";
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

    /// <summary>The run's queue (blank: <c>default</c>) and its priority there (higher starts first).</summary>
    public string Queue { get; set; } = "default";
    public int Priority { get; set; }

    public bool IsPolicyGradient => Algorithm.IsPolicyGradient();

    public bool UsesPreferences => Algorithm.UsesPreferences();

    /// <summary>The settings the chosen algorithm takes on the chosen dataset, in declaration order.</summary>
    public IReadOnlyList<RunSettingDescriptor> SettingsTaken => RunSettingCatalog.For(Algorithm, DataKind);

    /// <summary>Whether the chosen algorithm takes a setting (by its wire name) on the chosen dataset.</summary>
    public bool Takes(string key) => RunSettingCatalog.Find(key)?.Takes(Algorithm, DataKind) == true;

    public object? Get(RunSettingDescriptor setting) => setting.Get(Settings);

    /// <summary>Changes a setting (a value of its property's type); it is kept when the algorithm changes.</summary>
    public void Set(RunSettingDescriptor setting, object? value)
    {
        Settings = setting.With(Settings, value);
        _edited.Add(setting.Key);
    }

    /// <summary>Whether a setting differs from the chosen algorithm's default.</summary>
    public bool IsChanged(RunSettingDescriptor setting) =>
        !JsonNode.DeepEquals(setting.ToJson(setting.Get(Settings)), setting.ToJson(setting.DefaultFor(Algorithm)));

    /// <summary>
    /// A form that queues the same run again: same algorithm, dataset, base, rewards, settings, seed, queue and priority.
    /// </summary>
    public static NewRunForm CopyOf(RunDto run)
    {
        var form = new NewRunForm
        {
            Name = $"{run.Name}-copy"[..Math.Min(run.Name.Length + 5, 200)],
            Experiment = run.Experiment,
            Algorithm = run.Algorithm,
            Dataset = run.DatasetName,
            Seed = run.Seed,
            Queue = run.Queue,
            Priority = run.Priority,
            ExactMatch = false,
        };
        // Every setting of the algorithm (an agentic run's too: which ones are sent depends on the dataset, known later).
        foreach (var setting in RunSettingCatalog.For(run.Algorithm)) form.Set(setting, setting.Get(run.Settings));
        form.StartFrom(run.Base);
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
        return form;
    }

    /// <summary>
    /// A GRPO run scored by a reward-model run's newest checkpoint: it starts from the same base the reward model did
    /// (the model whose answers were labeled, for a batch's reward model) and takes no other reward.
    /// </summary>
    public static NewRunForm ScoredBy(RunDto rewardModel)
    {
        var form = new NewRunForm
        {
            Name = $"{rewardModel.Name}-grpo"[..Math.Min(rewardModel.Name.Length + 5, 200)],
            Experiment = rewardModel.Experiment,
            Algorithm = Algorithm.Grpo,
            ExactMatch = false,
            RewardModel = true,
            RewardModelRunId = rewardModel.Id,
        };
        form.StartFrom(rewardModel.Base);
        return form;
    }

    private void StartFrom(BaseModelSpec spec) =>
        (Base, Preset, BaseRunId, BaseCheckpointId, ModelPath) = spec switch
        {
            { CheckpointId: { } id } => (BaseKind.Checkpoint, Preset, (long?)null, (long?)id, ""),
            { RunId: { } id } => (BaseKind.EarlierRun, Preset, id, null, ""),
            { ModelPath: { } path } => (BaseKind.ModelFolder, Preset, null, null, path),
            { Preset: { } preset } => (BaseKind.Preset, preset, null, null, ""),
            _ => (BaseKind.Preset, Preset, null, null, ""),
        };

    /// <summary>The datasets the chosen algorithm can train on.</summary>
    public IEnumerable<DatasetDto> Usable(IEnumerable<DatasetDto> datasets) => datasets.Where(d => Algorithm.DataKinds().Contains(d.Kind));

    /// <summary>
    /// Reward functions as sent: RL algorithms optimize them, SFT scores its samples with them; preference algorithms and
    /// agentic runs (rewarded by their environment) take none.
    /// </summary>
    public IReadOnlyList<RewardSpecRequest> Rewards()
    {
        if (UsesPreferences || IsAgentic) return [];
        var rewards = new List<RewardSpecRequest>();
        if (ExactMatch) rewards.Add(new RewardSpecRequest("exact_match", ExactMatchWeight));
        if (NumericMatch) rewards.Add(new RewardSpecRequest("numeric_match", NumericMatchWeight));
        if (JsonValid) rewards.Add(new RewardSpecRequest("json_valid", JsonValidWeight));
        if (Regex) rewards.Add(new RewardSpecRequest("regex", RegexWeight, Pattern: RegexPattern));
        if (LengthPenalty) rewards.Add(new RewardSpecRequest("length_penalty", LengthWeight, TargetTokens: LengthTarget));
        if (RewardModel) rewards.Add(new RewardSpecRequest("reward_model", RewardModelWeight, RunId: RewardModelRunId));
        return rewards;
    }

    /// <summary>The request as the form stands.</summary>
    public CreateRunRequest ToRequest()
    {
        var settings = new JsonObject();
        foreach (var setting in SettingsTaken.Where(IsChanged)) settings[setting.Key] = setting.ToJson(setting.Get(Settings));

        var baseSpec = Base switch
        {
            BaseKind.Preset => new BaseModelSpec(Preset: Preset),
            BaseKind.EarlierRun => new BaseModelSpec(RunId: BaseRunId),
            BaseKind.Checkpoint => new BaseModelSpec(CheckpointId: BaseCheckpointId),
            BaseKind.ModelFolder => new BaseModelSpec(ModelPath: ModelPath.Trim()),
            _ => throw new ArgumentOutOfRangeException(nameof(Base), Base, null),
        };

        return new CreateRunRequest(
            Name: Name.Trim(),
            Experiment: string.IsNullOrWhiteSpace(Experiment) ? null : Experiment.Trim(),
            Algorithm: WireName.Of(Algorithm),
            Dataset: Dataset,
            Base: baseSpec,
            Rewards: Rewards(),
            Settings: settings,
            Seed: Seed,
            Queue: string.IsNullOrWhiteSpace(Queue) ? null : Queue.Trim(),
            Priority: Priority);
    }
}
