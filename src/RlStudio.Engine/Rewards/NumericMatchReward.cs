using System.Globalization;
using System.Text.RegularExpressions;

namespace RlStudio.Engine.Rewards;

/// <summary>
/// "numeric_match": 1 when the completion's answer number equals the reference's, else 0; null when the
/// reference has no number. The answer is the content of the last <c>\boxed{…}</c>, else what follows the
/// last <c>####</c>, else the last number anywhere in the completion.
/// </summary>
public sealed partial class NumericMatchReward : IRewardFunction
{
    public string Name => "numeric_match";

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        var scores = new double?[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var expected = LastNumber(examples[i].Reference);
            if (expected is null) continue;
            var actual = Answer(completions[i]);
            scores[i] = actual is not null && Math.Abs(actual.Value - expected.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)) ? 1.0 : 0.0;
        }
        return scores;
    }

    /// <summary>The completion's answer number per the rules above, or null.</summary>
    public static double? Answer(string completion)
    {
        var boxed = BoxedPattern().Matches(completion);
        if (boxed.Count > 0) return LastNumber(boxed[^1].Groups[1].Value);
        var hashes = completion.LastIndexOf("####", StringComparison.Ordinal);
        if (hashes >= 0)
        {
            var afterHashes = FirstNumber(completion[(hashes + 4)..]);
            if (afterHashes is not null) return afterHashes;
        }
        return LastNumber(completion);
    }

    public static double? LastNumber(string text)
    {
        var matches = NumberPattern().Matches(text);
        return matches.Count == 0 ? null : Parse(matches[^1].Value);
    }

    private static double? FirstNumber(string text)
    {
        var match = NumberPattern().Match(text);
        return match.Success ? Parse(match.Value) : null;
    }

    private static double? Parse(string number) =>
        double.TryParse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\\boxed\{([^{}]*)\}")]
    private static partial Regex BoxedPattern();
}
