using System.Reflection;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Worker.Training;

namespace RlStudio.Worker.Tests;

/// <summary>Every run setting reaches the engine: a setting the mapper forgot would silently train with its default.</summary>
public sealed class TrainerOptionsMapperTests
{
    /// <summary>Settings the worker's loop or the web host use, not the trainer.</summary>
    private static readonly HashSet<string> NotTrainerOptions =
    [
        nameof(RunSettings.CheckpointEvery),
        nameof(RunSettings.KeepLastCheckpoints), nameof(RunSettings.KeepBestCheckpoints),
        nameof(RunSettings.BestCheckpointMetric), nameof(RunSettings.BestCheckpointGoal),
    ];

    // LoRA on, so its alpha and targets matter too.
    private static readonly RunSettings Base = new() { LoraRank = 4 };

    private static RunSpec Spec(RunSettings settings) => new(Algorithm.Grpo, 1, 1, new BaseModelSpec("tiny"), [], settings, Seed: 7);

    public static TheoryData<string> MappedSettings =>
        [.. typeof(RunSettings).GetProperties().Select(p => p.Name).Where(n => !NotTrainerOptions.Contains(n))];

    [Theory]
    [MemberData(nameof(MappedSettings))]
    public void Map_ChangedSetting_ChangesTheTrainerOptions(string setting)
    {
        var property = typeof(RunSettings).GetProperty(setting)!;
        var changed = Base with { };
        property.SetValue(changed, Different(property, property.GetValue(Base)));

        Assert.NotEqual(Describe(TrainerOptionsMapper.Map(Spec(Base))), Describe(TrainerOptionsMapper.Map(Spec(changed))));
    }

    [Fact]
    public void Map_Defaults_AreTheEngineDefaults()
    {
        var mapped = TrainerOptionsMapper.Map(Spec(new RunSettings()));
        var engine = new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, Seed = 7 };
        Assert.Equal(
            (engine.BatchSize, engine.GroupSize, engine.Beta, engine.ClipEpsilon, engine.PolicyUpdatesPerBatch, engine.MiniBatches, engine.Precision),
            (mapped.BatchSize, mapped.GroupSize, mapped.Beta, mapped.ClipEpsilon, mapped.PolicyUpdatesPerBatch, mapped.MiniBatches, mapped.Precision));
    }

    private static object? Different(PropertyInfo property, object? value) => value switch
    {
        int i => i + 1,
        double d => d / 2 + 0.01,
        bool b => !b,
        Enum e => Enum.GetValues(e.GetType()).Cast<object>().First(v => !v.Equals(e)),
        IReadOnlyList<string> => (IReadOnlyList<string>)["k_proj"],
        null when property.PropertyType == typeof(double?) => 0.123,
        null when property.PropertyType == typeof(string) => "x",
        _ => throw new InvalidOperationException($"No changed value for {property.Name} ({property.PropertyType})."),
    };

    /// <summary>Every public property of the options, as text (records compare lists by reference).</summary>
    private static string Describe(TrainerOptions options) =>
        string.Join("; ", typeof(TrainerOptions).GetProperties().Select(p => $"{p.Name}={Text(p.GetValue(options))}"));

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        RlStudio.Engine.Model.LoraOptions l => $"Lora(rank {l.Rank}, alpha {l.Alpha}, {Text(l.TargetModules)})",
        System.Collections.IEnumerable list => "[" + string.Join(",", list.Cast<object>().Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };
}
