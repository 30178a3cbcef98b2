using System.Text.Json.Nodes;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;
using RlStudio.Engine;
using RlStudio.Worker.Training;

namespace RlStudio.Worker.Tests;

/// <summary>
/// What may change while a run trains is declared once on the settings (<see cref="RunSettingDescriptor.Steerable"/>); the
/// engine must be able to adjust every steerable setting it reads. And the worker applies changes in the order the web host
/// folds them, each once.
/// </summary>
public sealed class SteerableSettingsTests
{
    [Fact]
    public void EverySteerableTrainerSetting_IsAnOptionTheEngineCanAdjust()
    {
        var steerable = RunSettingCatalog.All.Where(s => s.Steerable && !s.PlatformOnly).Select(s => s.Key).ToArray();
        Assert.NotEmpty(steerable);
        Assert.Empty(steerable.Except(AdjustableOptions.Keys));
    }

    [Fact]
    public void AChangeOfEachSteerableSetting_MapsToOptionsTheEngineAccepts()
    {
        var spec = new RunSpec(Algorithm.Ppo, 1, 1, new BaseModelSpec("tiny"), [new RewardSpec(RewardType.ExactMatch)], RunSettings.For(Algorithm.Ppo), 7);
        var before = TrainerOptionsMapper.Map(spec);
        foreach (var setting in RunSettingCatalog.For(Algorithm.Ppo).Where(s => s.Steerable && !s.PlatformOnly))
        {
            var value = setting.Kind == SettingKind.Integer ? JsonValue.Create((int)setting.Max) : JsonValue.Create(setting.Min + (setting.Max - setting.Min) / 3);
            var after = TrainerOptionsMapper.Map(SettingChanges.Apply(spec, new JsonObject { [setting.Key] = value }));
            Assert.Empty(AdjustableOptions.FixedDifferences(before, after));
        }
    }

    [Fact]
    public void Schedule_TakesDueChangesInStepThenRequestOrder_EachOnce()
    {
        var schedule = new SettingChangeSchedule();
        schedule.Add([Change(3, step: 6), Change(5, step: null), Change(4, step: 2)]);

        Assert.Equal([4, 5], schedule.TakeDue(completedSteps: 1).Select(c => c.Id));
        Assert.Empty(schedule.TakeDue(completedSteps: 2));
        schedule.Add([Change(4, step: 2), Change(5, step: 2)]);   // repeated by a reply before the web host heard of them
        Assert.Empty(schedule.TakeDue(completedSteps: 3));
        Assert.Equal([3], schedule.TakeDue(completedSteps: 5).Select(c => c.Id));
    }

    [Fact]
    public void Apply_ReweightsRewardsAndSetsSettings_AndRefusesAWrongWeightCount()
    {
        var spec = new RunSpec(Algorithm.Grpo, 1, 1, new BaseModelSpec("tiny"), [new RewardSpec(RewardType.ExactMatch), new RewardSpec(RewardType.NumericMatch, 0.5)],
            RunSettings.For(Algorithm.Grpo), 7);
        var changed = SettingChanges.Apply(spec, new JsonObject { ["learningRate"] = 2e-5, ["rewardWeights"] = new JsonArray(0.1, 2.0) });
        Assert.Equal((2e-5, 0.1, 2.0), (changed.Settings.LearningRate, changed.Rewards[0].Weight, changed.Rewards[1].Weight));
        Assert.Throws<ArgumentException>(() => SettingChanges.Apply(spec, new JsonObject { ["rewardWeights"] = new JsonArray(1.0) }));
    }

    private static SettingChangeDto Change(long id, int? step) => new(id, new JsonObject { ["learningRate"] = 1e-5 }, step, "me", DateTimeOffset.UtcNow, null);
}
