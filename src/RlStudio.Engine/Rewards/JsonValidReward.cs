using System.Text.Json;

namespace RlStudio.Engine.Rewards;

/// <summary>
/// "json_valid": 1 when the trimmed completion (or the body of a ```json … ``` fence inside it) parses as one
/// JSON value, else 0. Never unscorable.
/// </summary>
/// <param name="name">Metric and rollout name. Default "json_valid".</param>
public sealed class JsonValidReward(string name = "json_valid") : IRewardFunction
{
    public string Name => name;

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        return completions.Select(c => (double?)(IsValid(Unfence(c)) ? 1.0 : 0.0)).ToArray();
    }

    private static string Unfence(string completion)
    {
        var start = completion.IndexOf("```", StringComparison.Ordinal);
        if (start < 0) return completion.Trim();
        var bodyStart = completion.IndexOf('\n', start);
        var end = bodyStart < 0 ? -1 : completion.IndexOf("```", bodyStart, StringComparison.Ordinal);
        return end < 0 ? completion.Trim() : completion[(bodyStart + 1)..end].Trim();
    }

    private static bool IsValid(string text)
    {
        if (text.Length == 0) return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
