using System.Text.RegularExpressions;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Runs;

/// <summary>
/// Checks a run's reward functions: known types, finite weights, each type's own parameters (a compiling regex, a
/// sane length penalty, a reward-model checkpoint that exists and came from a reward-model run), and none of
/// another type's. Policy-gradient algorithms need at least one; preference algorithms take none.
/// Errors are keyed <c>rewards[i].field</c>; a reward model's run id is resolved to its newest checkpoint.
/// </summary>
public sealed class RewardSpecValidator(IRunReferences references)
{
    private static readonly TimeSpan RegexCheckTimeout = TimeSpan.FromMilliseconds(100);

    /// <param name="data">The dataset's kind, when it is known: an agentic run (a task dataset) is rewarded by its environment.</param>
    public async Task<List<RewardSpec>?> ValidateAsync(IReadOnlyList<RewardSpecRequest>? rewards, Algorithm? algorithm, Contracts.Datasets.DatasetKind? data,
        ValidationErrors errors, CancellationToken cancellationToken)
    {
        rewards ??= [];
        var count = errors.Count;
        var agentic = data == Contracts.Datasets.DatasetKind.Tasks;
        if (algorithm is { } a && a.IsPolicyGradient() && !agentic && rewards.Count == 0)
        {
            errors.Add("rewards", $"{Name(a)} needs at least one reward function");
        }
        if (algorithm is { } p && p.UsesPreferences() && rewards.Count > 0)
        {
            errors.Add("rewards", $"{Name(p)} learns from preference pairs and takes no reward functions");
        }
        if (agentic && rewards.Count > 0)
        {
            errors.Add("rewards", "an agentic run (a task dataset) is rewarded by its environment and takes no reward functions");
        }
        var result = new List<RewardSpec>();
        for (var i = 0; i < rewards.Count; i++)
        {
            if (await ValidateOneAsync(rewards[i], $"rewards[{i}]", errors, cancellationToken) is { } spec) result.Add(spec);
        }
        return errors.Count == count ? result : null;
    }

    private async Task<RewardSpec?> ValidateOneAsync(RewardSpecRequest? reward, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (reward is null)
        {
            errors.Add(field, "must be an object with type and weight");
            return null;
        }
        var count = errors.Count;
        var type = Enum.GetValues<RewardType>().Cast<RewardType?>().FirstOrDefault(t => Name(t!.Value) == reward.Type);
        if (type is null)
        {
            errors.Add($"{field}.type", $"unknown reward type '{reward.Type}'; expected one of {string.Join(", ", Enum.GetValues<RewardType>().Select(t => Name(t)))}");
        }
        var weight = reward.Weight ?? 1.0;
        if (!double.IsFinite(weight))
        {
            errors.Add($"{field}.weight", "must be a finite number");
        }
        if (type is null) return null;

        RejectForeign(reward, type.Value, field, errors);
        var spec = new RewardSpec(type.Value, weight);
        switch (type.Value)
        {
            case RewardType.Regex:
                CheckPattern(reward.Pattern, $"{field}.pattern", errors);
                spec = spec with { Pattern = reward.Pattern };
                break;
            case RewardType.LengthPenalty:
                if (reward.TargetTokens is < 0 or > 100_000) errors.Add($"{field}.targetTokens", $"{reward.TargetTokens} is out of range [0, 100000]");
                if (reward.PenaltyPerToken is { } penalty && !(penalty >= 0 && penalty <= 100)) errors.Add($"{field}.penaltyPerToken", "must be in [0, 100]");
                spec = spec with { TargetTokens = reward.TargetTokens ?? 64, PenaltyPerToken = reward.PenaltyPerToken ?? 0.01 };
                break;
            case RewardType.RewardModel:
                spec = spec with { CheckpointId = await ResolveRewardModelAsync(reward, field, errors, cancellationToken) };
                break;
            case RewardType.ExactMatch or RewardType.NumericMatch or RewardType.JsonValid:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reward), type, null);
        }
        return errors.Count == count ? spec : null;
    }

    private static void CheckPattern(string? pattern, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            errors.Add(field, "required for a regex reward");
            return;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.None, RegexCheckTimeout);
        }
        catch (ArgumentException e)
        {
            errors.Add(field, $"not a valid regular expression: {e.Message}");
        }
    }

    private async Task<long?> ResolveRewardModelAsync(RewardSpecRequest reward, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if ((reward.CheckpointId is null) == (reward.RunId is null))
        {
            errors.Add(field, "a reward_model reward needs exactly one of checkpointId or runId");
            return null;
        }
        var checkpointId = reward.CheckpointId;
        if (reward.RunId is { } runId)
        {
            checkpointId = await references.NewestCheckpointIdAsync(runId, cancellationToken);
            if (checkpointId is null)
            {
                errors.Add($"{field}.runId", $"run {runId} does not exist or has no checkpoint yet");
                return null;
            }
        }
        var producer = await references.CheckpointAlgorithmAsync(checkpointId!.Value, cancellationToken);
        if (producer is null)
        {
            errors.Add($"{field}.checkpointId", $"checkpoint {checkpointId} does not exist");
        }
        else if (producer != Algorithm.RewardModel)
        {
            errors.Add(reward.RunId is null ? $"{field}.checkpointId" : $"{field}.runId", $"checkpoint {checkpointId} comes from a {Name(producer.Value)} run, not a reward_model run");
        }
        return checkpointId;
    }

    private static void RejectForeign(RewardSpecRequest reward, RewardType type, string field, ValidationErrors errors)
    {
        if (reward.Pattern is not null && type != RewardType.Regex) errors.Add($"{field}.pattern", "applies only to a regex reward");
        if ((reward.TargetTokens is not null || reward.PenaltyPerToken is not null) && type != RewardType.LengthPenalty)
            errors.Add($"{field}.{(reward.TargetTokens is not null ? "targetTokens" : "penaltyPerToken")}", "applies only to a length_penalty reward");
        if ((reward.CheckpointId is not null || reward.RunId is not null) && type != RewardType.RewardModel)
            errors.Add($"{field}.{(reward.CheckpointId is not null ? "checkpointId" : "runId")}", "applies only to a reward_model reward");
    }

    private static string Name<T>(T value) where T : struct, Enum => WireName.Of(value);
}
