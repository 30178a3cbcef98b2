namespace RlStudio.Engine;

/// <summary>
/// One sampled completion: its group (prompt index within the step), combined reward, each function's
/// score (null = unscorable), advantage (null for SFT) and generated token count.
/// </summary>
public sealed record RolloutRecord(
    int Group,
    string Prompt,
    string Completion,
    string Reference,
    double Reward,
    IReadOnlyDictionary<string, double?> Rewards,
    double? Advantage,
    int Tokens);
