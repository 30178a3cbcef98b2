namespace RlStudio.Contracts.Runs;

/// <summary>
/// One reward function of a run and its weight in the combined reward. Parameters by type: <c>regex</c> needs
/// <see cref="Pattern"/>; <c>length_penalty</c> takes <see cref="TargetTokens"/> and <see cref="PenaltyPerToken"/>;
/// <c>reward_model</c> names a checkpoint of a reward-model run (<see cref="CheckpointId"/>, resolved from
/// <see cref="RunId"/> when the run is created).
/// </summary>
public sealed record RewardSpec(RewardType Type, double Weight = 1.0)
{
    /// <summary>regex: the pattern a completion must match (.NET syntax, matched anywhere unless anchored).</summary>
    public string? Pattern { get; init; }

    /// <summary>length_penalty: completion tokens allowed before the penalty starts. Default 64.</summary>
    public int? TargetTokens { get; init; }

    /// <summary>length_penalty: penalty per token beyond the target. Default 0.01.</summary>
    public double? PenaltyPerToken { get; init; }

    /// <summary>reward_model: the reward-model checkpoint that scores completions.</summary>
    public long? CheckpointId { get; init; }

    /// <summary>reward_model: a reward-model run whose newest checkpoint is used (resolved to <see cref="CheckpointId"/>).</summary>
    public long? RunId { get; init; }
}
