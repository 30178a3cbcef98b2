namespace RlStudio.Engine.Rewards;

/// <summary>"exact_match": 1 when the trimmed completion equals the trimmed reference, else 0.</summary>
public sealed class ExactMatchReward : IRewardFunction
{
    public string Name => "exact_match";

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        return completions.Select((c, i) => (double?)(c.Trim() == examples[i].Reference.Trim() ? 1.0 : 0.0)).ToArray();
    }
}
