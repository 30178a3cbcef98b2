namespace RlStudio.Contracts.Runs;

/// <summary>
/// One sampled completion of a training step: its combined reward, each reward function's score
/// (null when that function could not score it) and its advantage. An agentic run's sample is an episode: its first
/// observation as the prompt, its transcript as the completion, its return as the reward, <c>env/success</c> among the
/// scores, and its <see cref="Turns"/> (null for single-turn samples).
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
    DateTimeOffset? CreatedAt = null,
    IReadOnlyList<EpisodeTurnDto>? Turns = null);
