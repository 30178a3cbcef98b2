namespace RlStudio.Engine.Rewards;

/// <summary>
/// The reward matrix of a batch (completions × functions) and its combination, as in TRL: the combined
/// reward is the weighted sum over the functions that could score a completion; a completion no function
/// could score gets 0 and is flagged <see cref="Unscorable"/> (its advantage is forced to 0).
/// </summary>
public sealed class RewardBatch
{
    private RewardBatch(IReadOnlyList<string> names, double?[][] scores, double[] combined, bool[] unscorable)
    {
        FunctionNames = names;
        Scores = scores;
        Combined = combined;
        Unscorable = unscorable;
    }

    public IReadOnlyList<string> FunctionNames { get; }

    /// <summary>[completion][function] raw scores, null where unscorable.</summary>
    public IReadOnlyList<double?[]> Scores { get; }

    public IReadOnlyList<double> Combined { get; }

    public IReadOnlyList<bool> Unscorable { get; }

    public static RewardBatch Score(IReadOnlyList<WeightedReward> rewards, IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        CheckSameLength(examples, completions);
        var columns = rewards.Select(r => r.Function.Score(examples, completions)).ToArray();
        foreach (var (column, reward) in columns.Zip(rewards))
        {
            if (column.Count != completions.Count)
                throw new InvalidOperationException($"Reward '{reward.Function.Name}' returned {column.Count} scores for {completions.Count} completions.");
        }
        var scores = new double?[completions.Count][];
        var combined = new double[completions.Count];
        var unscorable = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            scores[i] = columns.Select(c => c[i]).ToArray();
            var any = false;
            for (var f = 0; f < rewards.Count; f++)
            {
                if (scores[i][f] is not { } s) continue;
                combined[i] += rewards[f].Weight * s;
                any = true;
            }
            unscorable[i] = !any;
        }
        return new RewardBatch(rewards.Select(r => r.Function.Name).ToArray(), scores, combined, unscorable);
    }

    /// <summary>Name → score of one completion, for rollout records.</summary>
    public IReadOnlyDictionary<string, double?> ScoresOf(int completion) =>
        FunctionNames.Select((n, f) => (n, Scores[completion][f])).ToDictionary(x => x.n, x => x.Item2);

    /// <summary>Mean score of one function over the completions it could score (NaN when none).</summary>
    public double FunctionMean(int function)
    {
        var values = Scores.Select(s => s[function]).OfType<double>().ToArray();
        return values.Length == 0 ? double.NaN : values.Average();
    }

    internal static void CheckSameLength(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        if (examples.Count != completions.Count)
            throw new ArgumentException($"{examples.Count} examples but {completions.Count} completions.");
    }
}
