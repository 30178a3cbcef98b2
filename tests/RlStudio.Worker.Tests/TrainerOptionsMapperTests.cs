using System.Reflection;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;
using RlStudio.Engine;
using RlStudio.Engine.Model;
using RlStudio.Worker.Training;

namespace RlStudio.Worker.Tests;

/// <summary>
/// Every run setting reaches the engine (a setting the mapping dropped would silently train with its default), every
/// trainer option is a run setting, and a run that sets nothing trains with its algorithm's declared defaults.
/// </summary>
public sealed class TrainerOptionsMapperTests
{
    /// <summary>Trainer options that are not run settings: set from the spec itself, or fixed by the worker.</summary>
    private static readonly HashSet<string> NotSettings =
        [nameof(TrainerOptions.Algorithm), nameof(TrainerOptions.Seed), nameof(TrainerOptions.RolloutsPerStep), nameof(TrainerOptions.Lora)];

    // LoRA on, so its alpha and targets matter too.
    private static readonly RunSettings Base = RunSettings.For(Algorithm.Ppo) with { LoraRank = 4 };

    private static RunSpec Spec(RunSettings settings, Algorithm algorithm = Algorithm.Ppo) =>
        new(algorithm, 1, 1, new BaseModelSpec("tiny"), [], settings, Seed: 7);

    public static TheoryData<string> TrainerSettings =>
        [.. RunSettingCatalog.All.Where(s => !s.PlatformOnly).Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(TrainerSettings))]
    public void Map_ChangedSetting_ChangesTheTrainerOptions(string key)
    {
        var setting = RunSettingCatalog.Find(key)!;
        var changed = setting.With(Base, Different(setting, setting.Get(Base)));

        Assert.NotEqual(Describe(Spec(Base)), Describe(Spec(changed)));
    }

    [Fact]
    public void TrainerOptions_EverySettableOption_IsARunSetting()
    {
        var settable = typeof(TrainerOptions).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Except(NotSettings);
        var keys = RunSettingCatalog.All.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(settable, name => !keys.Contains(name));
    }

    [Theory]
    [InlineData(Algorithm.Sft, TrainingAlgorithm.Sft)]
    [InlineData(Algorithm.Grpo, TrainingAlgorithm.Grpo)]
    [InlineData(Algorithm.Rloo, TrainingAlgorithm.Rloo)]
    [InlineData(Algorithm.ReinforcePp, TrainingAlgorithm.ReinforcePp)]
    [InlineData(Algorithm.Ppo, TrainingAlgorithm.Ppo)]
    [InlineData(Algorithm.Dpo, TrainingAlgorithm.Dpo)]
    [InlineData(Algorithm.Ipo, TrainingAlgorithm.Ipo)]
    [InlineData(Algorithm.RewardModel, TrainingAlgorithm.RewardModel)]
    public void Map_Defaults_AreTheAlgorithmsDeclaredDefaults(Algorithm algorithm, TrainingAlgorithm expected)
    {
        var defaults = RunSettings.For(algorithm);
        var mapped = TrainerOptionsMapper.Map(Spec(defaults, algorithm));

        Assert.Equal(expected, mapped.Algorithm);
        Assert.Equal(7, mapped.Seed);
        Assert.Null(mapped.FirstError());
        Assert.Null(mapped.Lora);
        Assert.Equal((defaults.LearningRate, defaults.BatchSize, defaults.GroupSize, defaults.EvalEvery, defaults.EvalSamples),
            (mapped.LearningRate, mapped.BatchSize, mapped.GroupSize, mapped.EvalEvery, mapped.EvalSamples));
    }

    /// <summary>An agentic run's settings: a turn's limit is maxTokensPerTurn, and the agent settings become the engine's agent options.</summary>
    [Fact]
    public void MapAgent_AgentSettings_BecomeAgentOptions()
    {
        var settings = RunSettings.For(Algorithm.Grpo) with
        {
            MaxTurns = 5, MaxTokensPerTurn = 12, InvalidActionPenalty = 0.3, StepRewardWeight = 0.2, AdvantageMode = AdvantageModeSetting.Gigpo, StepAdvantageWeight = 0.5,
        };
        var spec = Spec(settings, Algorithm.Grpo);
        var agent = TrainerOptionsMapper.MapAgent(spec);
        Assert.Equal((5, 0.3, 0.2), (agent.Episodes.MaxTurns, agent.Episodes.InvalidActionPenalty, agent.Episodes.StepRewardWeight));
        Assert.Equal((Engine.Agents.EpisodeAdvantageMode.Gigpo, 0.5), (agent.AdvantageMode, agent.StepAdvantageWeight));
        Assert.Equal(12, TrainerOptionsMapper.Map(spec, Contracts.Datasets.DatasetKind.Tasks).MaxNewTokens);
        Assert.Equal(settings.MaxNewTokens, TrainerOptionsMapper.Map(spec).MaxNewTokens);
    }

    [Fact]
    public void Map_LoraSettings_BecomeLoraOptions()
    {
        var mapped = TrainerOptionsMapper.Map(Spec(Base with { LoraAlpha = 8, LoraTargets = ["q_proj", "down_proj"] }));
        Assert.Equal((4, 8.0, "q_proj,down_proj"), (mapped.Lora!.Rank, mapped.Lora.Alpha, string.Join(",", mapped.Lora.TargetModules)));
    }

    private static object? Different(RunSettingDescriptor setting, object? value) => value switch
    {
        int i => i + 1,
        double d => d / 2 + 0.01,
        bool b => !b,
        Enum e => Enum.GetValues(e.GetType()).Cast<object>().First(v => !v.Equals(e)),
        IReadOnlyList<string> => (IReadOnlyList<string>)["k_proj"],
        null when setting.Kind == SettingKind.Number => 0.123,
        null when setting.Kind == SettingKind.MetricKey => "x",
        _ => throw new InvalidOperationException($"No changed value for {setting.Key} ({value})."),
    };

    /// <summary>What the engine gets of a spec: its trainer options, an agentic run's too (a task dataset), and its agent options.</summary>
    private static string Describe(RunSpec spec)
    {
        var agentic = TrainerOptionsMapper.Map(spec, Contracts.Datasets.DatasetKind.Tasks);
        return $"{Describe(TrainerOptionsMapper.Map(spec))} | agentic: {Describe(agentic)} | {TrainerOptionsMapper.MapAgent(spec)}";
    }

    /// <summary>Every public property of the options, as text (records compare lists by reference).</summary>
    private static string Describe(TrainerOptions options) =>
        string.Join("; ", typeof(TrainerOptions).GetProperties().Select(p => $"{p.Name}={Text(p.GetValue(options))}"));

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        LoraOptions l => $"Lora(rank {l.Rank}, alpha {l.Alpha}, {Text(l.TargetModules)})",
        System.Collections.IEnumerable list => "[" + string.Join(",", list.Cast<object>().Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };
}
