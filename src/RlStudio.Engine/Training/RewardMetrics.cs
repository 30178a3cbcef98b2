using RlStudio.Engine.Rewards;

namespace RlStudio.Engine.Training;

/// <summary>reward/mean, reward/std and reward/&lt;function&gt;/mean of a scored batch.</summary>
internal static class RewardMetrics
{
    public static void Add(Dictionary<string, double> metrics, RewardBatch scored)
    {
        var rewards = scored.Combined;
        var mean = rewards.Average();
        metrics[MetricKeys.RewardMean] = mean;
        metrics[MetricKeys.RewardStd] = rewards.Count > 1
            ? Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / (rewards.Count - 1))
            : 0;
        for (var f = 0; f < scored.FunctionNames.Count; f++)
        {
            var functionMean = scored.FunctionMean(f);
            if (!double.IsNaN(functionMean)) metrics[MetricKeys.RewardFunctionMean(scored.FunctionNames[f])] = functionMean;
        }
    }
}
