namespace RlStudio.Contracts.Runs;

/// <summary>
/// Which rollout samples of a run to read (<c>GET /api/runs/{id}/rollouts</c>): one <see cref="Step"/> or a step range,
/// a reward range, and words that must all occur in the prompt or completion (<see cref="Q"/>, web-search syntax:
/// <c>"exact phrase"</c>, <c>-excluded</c>, <c>or</c>); newest first, at most <see cref="Limit"/> (default 50). With
/// <see cref="Function"/>, the reward range is that reward function's score, and samples it could not score are left out.
/// </summary>
public sealed record RolloutQuery
{
    public const int MaxLimit = 1000;
    public const int MaxQueryLength = 200;

    public int? Limit { get; init; }
    public int? Step { get; init; }
    public int? FromStep { get; init; }
    public int? ToStep { get; init; }
    public double? MinReward { get; init; }
    public double? MaxReward { get; init; }
    public string? Q { get; init; }

    /// <summary>A reward function's name (as in <see cref="RolloutDto.Rewards"/>): the reward range applies to its score.</summary>
    public string? Function { get; init; }
}
