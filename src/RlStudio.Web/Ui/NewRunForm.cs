using System.Text.Json.Nodes;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Ui;

/// <summary>
/// The New Run dialog's editable state, prefilled with <see cref="RunSettings"/>' defaults, and its mapping to
/// the wire's <see cref="CreateRunRequest"/>. Range checks are the server's: its errors come back keyed by the
/// same names (<see cref="SettingKeys"/>) and are shown next to the fields.
/// </summary>
public sealed class NewRunForm
{
    public enum BaseKind { Preset, EarlierRun }

    /// <summary>The settings the dialog edits, as their wire (camelCase) names; the last three are GRPO's.</summary>
    public static readonly IReadOnlyList<string> SettingKeys =
        ["steps", "batchSize", "learningRate", "maxNewTokens", "temperature", "checkpointEvery", "groupSize", "beta", "clipEpsilon"];

    private static readonly RunSettings Defaults = new();

    public string Name { get; set; } = $"run-{DateTime.UtcNow:yyyyMMdd-HHmm}";
    public string Experiment { get; set; } = "default";
    public Algorithm Algorithm { get; set; } = Algorithm.Grpo;
    public string? Dataset { get; set; }
    public BaseKind Base { get; set; } = BaseKind.Preset;
    public string Preset { get; set; } = BaseModelSpec.Presets[0];
    public long? BaseRunId { get; set; }
    public long? Seed { get; set; }

    public bool ExactMatch { get; set; }
    public double ExactMatchWeight { get; set; } = 1.0;
    public bool NumericMatch { get; set; } = true;
    public double NumericMatchWeight { get; set; } = 1.0;

    public int Steps { get; set; } = Defaults.Steps;
    public int BatchSize { get; set; } = Defaults.BatchSize;
    public double LearningRate { get; set; } = Defaults.LearningRate;
    public int MaxNewTokens { get; set; } = Defaults.MaxNewTokens;
    public double Temperature { get; set; } = Defaults.Temperature;
    public int CheckpointEvery { get; set; } = Defaults.CheckpointEvery;
    public int GroupSize { get; set; } = Defaults.GroupSize;
    public double Beta { get; set; } = Defaults.Beta;
    public double ClipEpsilon { get; set; } = Defaults.ClipEpsilon;

    public bool IsGrpo => Algorithm == Algorithm.Grpo;

    /// <summary>Reward functions as sent: GRPO optimizes them; SFT only scores its samples with them (reward/mean).</summary>
    public IReadOnlyList<RewardSpecRequest> Rewards()
    {
        var rewards = new List<RewardSpecRequest>();
        if (ExactMatch) rewards.Add(new RewardSpecRequest("exact_match", ExactMatchWeight));
        if (NumericMatch) rewards.Add(new RewardSpecRequest("numeric_match", NumericMatchWeight));
        return rewards;
    }

    public CreateRunRequest ToRequest()
    {
        var settings = new JsonObject
        {
            ["steps"] = Steps,
            ["batchSize"] = BatchSize,
            ["learningRate"] = LearningRate,
            ["maxNewTokens"] = MaxNewTokens,
            ["temperature"] = Temperature,
            ["checkpointEvery"] = CheckpointEvery,
        };
        if (IsGrpo)
        {
            settings["groupSize"] = GroupSize;
            settings["beta"] = Beta;
            settings["clipEpsilon"] = ClipEpsilon;
        }

        var baseSpec = Base switch
        {
            BaseKind.Preset => new BaseModelSpec(Preset: Preset),
            BaseKind.EarlierRun => new BaseModelSpec(RunId: BaseRunId),
            _ => throw new ArgumentOutOfRangeException(nameof(Base), Base, null),
        };

        return new CreateRunRequest(
            Name: Name.Trim(),
            Experiment: string.IsNullOrWhiteSpace(Experiment) ? null : Experiment.Trim(),
            Algorithm: Algorithm == Algorithm.Grpo ? "grpo" : "sft",
            Dataset: Dataset,
            Base: baseSpec,
            Rewards: Rewards(),
            Settings: settings,
            Seed: Seed,
            Queue: null,
            Priority: null);
    }
}
