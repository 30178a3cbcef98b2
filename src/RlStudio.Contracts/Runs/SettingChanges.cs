using System.Text.Json.Nodes;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// How a validated settings change (<see cref="SettingChangeDto.Changes"/>) rewrites a run's spec: each setting key through
/// its <see cref="RunSettingDescriptor"/>, and <see cref="RewardWeightsKey"/> (one weight per reward function, in order) onto
/// the rewards. The web host folds the changes a resumed run has already passed into the spec it hands the worker, and
/// the worker applies the later ones at their steps, both with this one function, so the two agree to the bit.
/// </summary>
public static class SettingChanges
{
    /// <summary>The key of the reward weights in a change, beside the setting keys.</summary>
    public const string RewardWeightsKey = "rewardWeights";

    /// <summary>The optional key of a <c>PATCH /api/runs/{id}/settings</c> body that schedules the change for a later step (the first step trained with it).</summary>
    public const string AtStepKey = "atStep";

    /// <summary>The spec with the change applied.</summary>
    public static RunSpec Apply(RunSpec spec, JsonObject changes)
    {
        var settings = spec.Settings;
        var rewards = spec.Rewards;
        foreach (var (key, value) in changes)
        {
            if (key == RewardWeightsKey)
            {
                var weights = value!.AsArray().Select(w => w!.GetValue<double>()).ToArray();
                if (weights.Length != rewards.Count)
                    throw new ArgumentException($"{weights.Length} reward weights for {rewards.Count} reward functions.", nameof(changes));
                rewards = rewards.Select((r, i) => r with { Weight = weights[i] }).ToArray();
                continue;
            }
            var setting = RunSettingCatalog.Find(key) ?? throw new ArgumentException($"Unknown setting '{key}'.", nameof(changes));
            settings = setting.With(settings, setting.FromJson(value));
        }
        return spec with { Settings = settings, Rewards = rewards };
    }

    /// <summary>
    /// The order changes apply in: by the step they take effect (one still waiting for a step boundary counts as
    /// <paramref name="pendingStep"/>: after every stepped one unless given), then in the order they were asked for.
    /// </summary>
    public static IEnumerable<SettingChangeDto> InApplyOrder(IEnumerable<SettingChangeDto> changes, int pendingStep = int.MaxValue) =>
        changes.OrderBy(c => c.Step ?? pendingStep).ThenBy(c => c.Id);

    /// <summary>The spec with every change applied, in order.</summary>
    public static RunSpec ApplyAll(RunSpec spec, IEnumerable<SettingChangeDto> changes) =>
        changes.Aggregate(spec, (current, change) => Apply(current, change.Changes));
}
