using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Training;

/// <summary>
/// Multi-turn policy gradients on environment tasks: G episodes per task played at once (<see cref="EpisodeRunner"/> with
/// the policy as <see cref="ModelPolicy"/>) → each episode laid out as one sequence whose observation tokens are masked
/// (<see cref="EpisodeBatch"/>) → reference log-probs, old log-probs (and PPO's values) from a first pass → per-token
/// advantages by algorithm (<see cref="EpisodeCredit"/>: GRPO and RLOO per episode or GiGPO, REINFORCE++ and PPO from
/// token rewards) → μ clipped updates (<see cref="PolicyUpdate"/>) on the whole batch.
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
        // 1. Play G episodes per task; lay them out.
        var tasks = batch.SelectMany(t => Enumerable.Repeat(t, options.GroupSize)).ToArray();
        var episodes = EpisodeRunner.Play(tasks, ModelPolicy.Of(context.Compute, context.Tokenizer, Turn(options.Temperature), context.Sampling), agent.Episodes);
        var trajectories = episodes.Select(e => TrajectoryLayout.ForTraining(context.Tokenizer, e.Conversation)).ToList();
        using var trained = EpisodeBatch.Build(context.Tokenizer, trajectories, context.Device);
        var mask = trained.TargetMask;

        // 2. Reference log-probs; first pass: old log-probs (and values); advantages.
        using var reference = options.Beta > 0 && context.HasReference
            ? context.OnReference(model =>
            {
                using var noGrad = no_grad();
                using var logp = trained.LogProbs(model, options.Temperature);
                return logp.detach();
            })
            : null;
        var head = options.Algorithm == TrainingAlgorithm.Ppo ? context.Head : null;
        var pass = trained.Forward(context.Compute, head, options.Temperature);
        using var old = pass.LogProbs.detach();
        using var oldValues = pass.Values?.detach();
        using var credit = EpisodeCredit.Compute(options, agent, episodes, trained, old, reference, oldValues);
        var entropy = pass.MeanEntropy(mask);

        // 3. μ updates on the whole batch.
        var totals = new PolicyUpdateTotals();
        var maxAgentTokens = agent.Episodes.MaxTurns * options.MaxNewTokens;
        for (var update = 0; update < options.PolicyUpdatesPerBatch; update++)
        {
            if (update > 0) pass = trained.Forward(context.Compute, head, options.Temperature);
            using (pass)
                PolicyUpdate.Apply(context, pass.LogProbs, pass.Values, old, oldValues, reference, credit.Advantages, credit.Returns, mask,
                    maxAgentTokens, totals);
        }

        // 4. Log.
        var metrics = totals.Metrics(options.PolicyUpdatesPerBatch);
        foreach (var (key, value) in EpisodeMetrics.Of(episodes, options.GroupSize)) metrics[key] = value;
        metrics[MetricKeys.PolicyEntropy] = entropy;
        PolicyUpdate.AddAdvantageMetrics(metrics, credit.PerEpisode);
        if (oldValues is not null && credit.Returns is not null)
            metrics[MetricKeys.ValueExplainedVariance] = PolicyUpdate.ExplainedVariance(oldValues, credit.Returns, mask);
        var rollouts = episodes.Take(options.RolloutsPerStep).Select((e, i) => EpisodeMetrics.Record(e, i / options.GroupSize, credit.PerEpisode[i])).ToArray();
        var tokens = trajectories.Sum(t => (long)t.Tokens.Length) * (options.PolicyUpdatesPerBatch + 1)
            + episodes.Sum(e => e.Conversation.Where(m => m.FromAgent).Sum(m => (long)(m.Tokens?.Length ?? 0)));
        return new StepOutcome(metrics, rollouts, tokens);
    }

    public void Evaluate(TrainingContext context, IReadOnlyList<EnvironmentTask> heldOut, int step, Dictionary<string, double> metrics) =>
        AgentEvaluation.Evaluate(context, agent, heldOut, metrics);
}
