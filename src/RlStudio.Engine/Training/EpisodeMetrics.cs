using RlStudio.Engine.Agents;
using RlStudio.Environments;

namespace RlStudio.Engine.Training;

/// <summary>What a step's episodes report: the env/* and reward metrics, and an episode as a rollout record.</summary>
internal static class EpisodeMetrics
{
    public static Dictionary<string, double> Of(IReadOnlyList<Episode> episodes, int groupSize)
    {
        var turns = episodes.SelectMany(e => e.Turns).ToList();
        var metrics = new Dictionary<string, double>
        {
            [MetricKeys.EnvSuccess] = episodes.Average(e => e.Succeeded ? 1.0 : 0.0),
            [MetricKeys.EnvTurnsMean] = episodes.Average(e => (double)e.Turns.Count),
            [MetricKeys.EnvInvalidActionFrac] = turns.Count == 0 ? 0 : turns.Count(t => !t.ValidAction) / (double)turns.Count,
            [MetricKeys.EnvStepRewardMean] = turns.Count == 0 ? 0 : turns.Average(t => t.StepReward),
            [MetricKeys.RewardTaskMean] = episodes.Average(e => e.TaskReward),
            [MetricKeys.RewardMean] = episodes.Average(e => e.Return),
            [MetricKeys.CompletionDistinctFrac] = CompletionDiversity.DistinctFraction(episodes.Select(Transcript).ToList(), groupSize),
            [MetricKeys.RewardFracZeroStd] = RolloutAdvantages.FracZeroStd(episodes.Select(e => e.Return).ToList(), groupSize),
        };
        foreach (var key in episodes.SelectMany(e => e.Info.Keys).Distinct(StringComparer.Ordinal))
            metrics[MetricKeys.EnvInfo(key)] = episodes.Average(e => e.Info.GetValueOrDefault(key));
        return metrics;
    }

    /// <summary>
    /// An episode as a rollout: the first observation as its prompt, the transcript (each action after "> ", then the
    /// observation it got) as its completion, the return as its reward, env/success as its score, and its turns.
    /// </summary>
    public static RolloutRecord Record(Episode episode, int group, double? advantage) =>
        new(group, episode.Conversation[0].Text, Transcript(episode), episode.Task.Task, episode.Return,
            new Dictionary<string, double?> { [MetricKeys.EnvSuccess] = episode.Succeeded ? 1 : 0 }, advantage,
            episode.Conversation.Where(m => m.FromAgent).Sum(m => m.Tokens?.Length ?? 0), episode.Turns);

    private static string Transcript(Episode episode) =>
        string.Join("\n", episode.Conversation.Skip(1).Select(m => (m.FromAgent ? "> " : "") + m.Text));
}
