using RlStudio.Environments;
namespace RlStudio.Engine;

/// <summary>
/// One sampled completion: its group (prompt index within the step), combined reward, each function's
/// score (null = unscorable), advantage (null for SFT) and generated token count. An agentic run's record is an episode:
/// its first observation, its transcript, its return, and its <see cref="Turns"/> (null for single-turn rollouts).
/// </summary>
public sealed record RolloutRecord(
    int Group,
    string Prompt,
    string Completion,
    string Reference,
    double Reward,
    IReadOnlyDictionary<string, double?> Rewards,
    double? Advantage,
    int Tokens,
    IReadOnlyList<EpisodeTurn>? Turns = null);
