using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.Rewards;

/// <summary>
/// "length_penalty": −<paramref name="penaltyPerToken"/> for every completion token beyond
/// <paramref name="targetTokens"/> (tokens of the engine's byte tokenizer, i.e. UTF-8 bytes, EOS not counted);
/// 0 at or below the target. It always counts bytes, also in runs whose model uses a BPE tokenizer (rewards see
/// only text), so the target is a length in bytes there. Never unscorable. Combine with a correctness reward (weights via <see cref="WeightedReward"/>).
/// </summary>
/// <param name="targetTokens">Tokens allowed for free, ≥ 0.</param>
/// <param name="penaltyPerToken">Penalty per extra token, ≥ 0. Default 0.01.</param>
/// <param name="name">Metric and rollout name. Default "length_penalty".</param>
public sealed class LengthPenalty : IRewardFunction
{
    private readonly int targetTokens;
    private readonly double penaltyPerToken;

    public LengthPenalty(int targetTokens, double penaltyPerToken = 0.01, string name = "length_penalty")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetTokens);
        if (!(penaltyPerToken >= 0)) throw new ArgumentOutOfRangeException(nameof(penaltyPerToken), penaltyPerToken, "penaltyPerToken must be ≥ 0.");
        this.targetTokens = targetTokens;
        this.penaltyPerToken = penaltyPerToken;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        return completions.Select(c => (double?)(-penaltyPerToken * Math.Max(0, ByteTokenizer.Encode(c).Length - targetTokens))).ToArray();
    }
}
