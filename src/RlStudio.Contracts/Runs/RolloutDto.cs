namespace RlStudio.Contracts.Runs;

/// <summary>
/// One sampled completion of a training step: its combined reward, each reward function's score
/// (null when that function could not score it) and its advantage.
/// </summary>
public sealed record RolloutDto(
    int Step,
    int Group,
    string Prompt,
    string Completion,
    string? Reference,
    double Reward,
    IReadOnlyDictionary<string, double?> Rewards,
    double? Advantage,
    int Tokens,
    DateTimeOffset? CreatedAt = null);
