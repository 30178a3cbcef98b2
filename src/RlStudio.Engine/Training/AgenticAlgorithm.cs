using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// Multi-turn GRPO on environment tasks: G episodes per task played at once (<see cref="EpisodeRunner"/> with the policy
/// as <see cref="ModelPolicy"/>) → turn advantages (<see cref="EpisodeAdvantages"/>: per episode, or GiGPO) → each episode
/// laid out as one sequence whose agent tokens carry their turn's advantage and whose observation tokens are masked
/// (<see cref="EpisodeBatch"/>) → the clipped policy loss (+ k3 KL against the reference when β &gt; 0) → one update.
/// </summary>
internal sealed class AgenticAlgorithm(TrainerOptions options, AgentOptions agent) : ITrainingAlgorithm<EnvironmentTask>
{
    public int ExamplesPerStep => options.BatchSize / options.GroupSize;

    private SamplingOptions Turn(double temperature) => new()
    {
        MaxNewTokens = options.MaxNewTokens, Temperature = temperature, TopK = options.TopK, TopP = options.TopP,
    };

    public StepOutcome Step(TrainingContext context, IReadOnlyList<EnvironmentTask> batch)
    {
        var tasks = batch.SelectMany(t => Enumerable.Repeat(t, options.GroupSize)).ToArray();
        var episodes = EpisodeRunner.Play(tasks, ModelPolicy.Of(context.Compute, context.Tokenizer, Turn(options.Temperature), context.Sampling), agent.Episodes);
        var advantages = EpisodeAdvantages.Compute(episodes, options.GroupSize, agent.AdvantageMode, agent.StepAdvantageWeight);
        var trajectories = episodes.Select(e => TrajectoryLayout.ForTraining(context.Tokenizer, e.Conversation)).ToList();

        using var trained = EpisodeBatch.Build(context.Tokenizer, trajectories, advantages, context.Device);
        using var reference = options.Beta > 0 && context.HasReference
            ? context.OnReference(model =>
            {
                using var noGrad = no_grad();
                using var logp = trained.LogProbs(model, options.Temperature);
                return logp.detach();
            })
            : null;
        using var current = trained.LogProbs(context.Compute, options.Temperature);
        using var old = current.detach();
        var settings = new PolicyLossSettings
        {
            EpsilonLow = options.EffectiveClipLow, EpsilonHigh = options.EffectiveClipHigh, Beta = reference is null ? 0 : options.Beta,
            Aggregation = options.LossAggregation, Level = options.ImportanceLevel,
        };
        using var result = PolicyLoss.Compute(current, old, reference, trained.Advantages, trained.TargetMask, settings);
        var gradNorm = Optimization.Update(context, result.Loss);

        var metrics = EpisodeMetrics(episodes);
        metrics[MetricKeys.RewardFracZeroStd] = episodes.Chunk(options.GroupSize)
            .Count(group => group.All(e => e.Return == group[0].Return)) / (double)(episodes.Count / options.GroupSize);
        metrics[MetricKeys.LossPolicy] = result.Loss.item<float>();
        metrics[MetricKeys.PolicyKl] = result.Kl.item<float>();
        metrics[MetricKeys.OptimGradNorm] = gradNorm;
        var perEpisode = advantages.Select(a => a.Length == 0 ? 0 : a.Average()).ToArray();
        metrics[MetricKeys.AdvantageMean] = perEpisode.Average();
        var rollouts = episodes.Take(options.RolloutsPerStep).Select((e, i) => new RolloutRecord(i / options.GroupSize, e.Conversation[0].Text,
                Transcript(e), e.Task.Task, e.Return, new Dictionary<string, double?> { [MetricKeys.EnvSuccess] = e.Succeeded ? 1 : 0 }, perEpisode[i],
                e.Conversation.Where(m => m.FromAgent).Sum(m => m.Tokens?.Length ?? 0)))
            .ToArray();
        var tokens = trajectories.Sum(t => (long)t.Tokens.Length) + episodes.Sum(e => e.Conversation.Where(m => m.FromAgent).Sum(m => (long)(m.Tokens?.Length ?? 0)));
        return new StepOutcome(metrics, rollouts, tokens);
    }

    public void Evaluate(TrainingContext context, IReadOnlyList<EnvironmentTask> heldOut, int step, Dictionary<string, double> metrics) =>
        AgentEvaluation.Evaluate(context, agent, heldOut, metrics);

    /// <summary>The env/* and reward metrics of a step's episodes.</summary>
    private static Dictionary<string, double> EpisodeMetrics(IReadOnlyList<Episode> episodes)
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
        };
        foreach (var key in episodes.SelectMany(e => e.Info.Keys).Distinct(StringComparer.Ordinal))
            metrics[MetricKeys.EnvInfo(key)] = episodes.Average(e => e.Info.GetValueOrDefault(key));
        return metrics;
    }

    /// <summary>An episode's turns as text: each action with the observation it got.</summary>
    private static string Transcript(Episode episode) =>
        string.Join("\n", episode.Conversation.Skip(1).Select(m => (m.FromAgent ? "> " : "") + m.Text));
}
