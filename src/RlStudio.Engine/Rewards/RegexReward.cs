using System.Text.RegularExpressions;

namespace RlStudio.Engine.Rewards;

/// <summary>
/// A "format" reward: 1 when <paramref name="pattern"/> matches the completion (anywhere; anchor with ^…$ for a
/// whole-completion format), else 0. A match that exceeds the 100 ms regex timeout is unscorable (null).
/// </summary>
/// <param name="pattern">.NET regular expression.</param>
/// <param name="name">Metric and rollout name. Default "format".</param>
/// <param name="options">Regex options, e.g. <see cref="RegexOptions.Singleline"/>. Default none.</param>
public sealed class RegexReward(string pattern, string name = "format", RegexOptions options = RegexOptions.None) : IRewardFunction
{
    private readonly Regex regex = new(pattern, options | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public string Name => name;

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        return completions.Select(Match).ToArray();
    }

    private double? Match(string completion)
    {
        try
        {
            return regex.IsMatch(completion) ? 1.0 : 0.0;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
