using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using RlStudio.Environments;

namespace RlStudio.Engine.Training;

/// <summary>
/// SFT on demonstration episodes: each task's demonstration (its own turns when the task line has them, else the
/// environment's; <see cref="Demonstrations"/>) laid out as one sequence (its
/// turns past the model's context left out), the mean negative log-likelihood of the agent's tokens (observations
/// masked), one update per batch of tasks — the warm start of an agent before RL.
/// </summary>
internal sealed class AgenticSftAlgorithm(TrainerOptions options, AgentOptions agent) : ITrainingAlgorithm<EnvironmentTask>
{
    public int ExamplesPerStep => options.BatchSize;

    public StepOutcome Step(TrainingContext context, IReadOnlyList<EnvironmentTask> batch)
    {
        var trajectories = batch.Select(task => Fitting(context, Demonstrations.For(task))).OfType<Trajectory>().ToList();
        if (trajectories.Count == 0)
            throw new InvalidOperationException($"No demonstration's first turn fits in the model's context ({context.Compute.Config.MaxSeq} tokens).");
        using var trained = EpisodeBatch.Build(context.Tokenizer, trajectories, context.Device);
        using var logp = trained.LogProbs(context.Compute);
        using var meanLogp = MaskedMath.Mean(logp, trained.TargetMask);
        using var loss = meanLogp.neg();
        var gradNorm = Optimization.Update(context, loss);
        var metrics = new Dictionary<string, double>
        {
            [MetricKeys.LossSft] = loss.item<float>(),
            [MetricKeys.OptimGradNorm] = gradNorm,
        };
        return new StepOutcome(metrics, [], trajectories.Sum(t => (long)t.Tokens.Length));
    }

    /// <summary>The demonstration's layout, without the turns past the model's context (null when not even one turn fits).</summary>
    private static Trajectory? Fitting(TrainingContext context, IReadOnlyList<ConversationMessage> conversation)
    {
        var maxSeq = context.Compute.Config.MaxSeq;
        for (var messages = conversation.Count; messages >= 2; messages -= 2)
        {
            var trajectory = TrajectoryLayout.ForTraining(context.Tokenizer, conversation.Take(messages).ToList());
            if (trajectory.Tokens.Length <= maxSeq) return trajectory;
        }
        return null;
    }

    public void Evaluate(TrainingContext context, IReadOnlyList<EnvironmentTask> heldOut, int step, Dictionary<string, double> metrics) =>
        AgentEvaluation.Evaluate(context, agent, heldOut, metrics);
}
