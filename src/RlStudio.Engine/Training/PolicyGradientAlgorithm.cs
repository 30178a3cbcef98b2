using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// GRPO, RLOO, REINFORCE++ and PPO in one fixed order: generate G completions per prompt → score → reference
/// log-probs → old log-probs (and values) from the first pass → advantages → μ clipped updates against the
/// stored old log-probs (PPO adds the clipped value loss) → log. With μ = 1 the ratio is 1 and the clip is idle.
/// With minibatches each of the μ epochs walks the batch in equal slices, one optimizer step per slice (cleanrl's
/// minibatch epochs): the first pass then keeps no graph, and an update pass holds one slice's activations.
/// </summary>
internal sealed class PolicyGradientAlgorithm(TrainerOptions options) : ITrainingAlgorithm<PromptExample>
{
    public int ExamplesPerStep => options.BatchSize / options.GroupSize;

    public StepOutcome Step(TrainingContext context, IReadOnlyList<PromptExample> batch)
    {
        // 1. Rollout: G completions per prompt, laid out group by group.
        var examples = batch.SelectMany(e => Enumerable.Repeat(e, options.GroupSize)).ToArray();
        var sampling = new SamplingOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature, TopK = options.TopK, TopP = options.TopP,
        };
        using var generated = Sampler.Generate(context.Compute, examples.Select(e => context.Tokenizer.EncodePrompt(e.Prompt)).ToArray(),
            sampling, context.Sampling, context.Tokenizer);
        var mask = generated.CompletionMask;

        // 2. Score; reference log-probs.
        var scored = RewardBatch.Score(context.Rewards, examples, generated.CompletionTexts);
        using var reference = options.Beta > 0 && context.HasReference
            ? context.OnReference(model => PolicyPass.FrozenLogProbs(model, generated, options.Temperature))
            : null;

        // 3. First pass: old log-probs (and values), then advantages.
        var head = options.Algorithm == TrainingAlgorithm.Ppo ? context.Head : null;
        var minibatches = options.MiniBatches > 1;
        PolicyPass pass;
        using (minibatches ? no_grad() : null) pass = PolicyPass.Run(context.Compute, head, generated, options.Temperature);
        using var old = pass.LogProbs.detach();
        using var oldValues = pass.Values?.detach();
        using var advantages = RolloutAdvantages.Compute(options, scored, old, reference, oldValues, mask);
        var entropy = pass.MeanEntropy(mask);

        // 4. μ updates on the same batch (in minibatches: μ epochs of one update per slice).
        var totals = new PolicyUpdateTotals();
        if (minibatches)
        {
            pass.Dispose();
            for (var epoch = 0; epoch < options.PolicyUpdatesPerBatch; epoch++)
            {
                foreach (var rows in RowRange.Split(examples.Length, options.MiniBatches))
                {
                    using var views = NewDisposeScope();
                    using var slice = PolicyPass.Run(context.Compute, head, generated, options.Temperature, rows);
                    PolicyUpdate.Apply(context, slice.LogProbs, slice.Values, rows.Of(old)!, rows.Of(oldValues), rows.Of(reference),
                        rows.Of(advantages.Advantages)!, rows.Of(advantages.Returns), rows.Of(mask)!, options.MaxNewTokens, totals);
                }
            }
        }
        else
        {
            for (var update = 0; update < options.PolicyUpdatesPerBatch; update++)
            {
                if (update > 0) pass = PolicyPass.Run(context.Compute, head, generated, options.Temperature);
                using (pass)
                    PolicyUpdate.Apply(context, pass.LogProbs, pass.Values, old, oldValues, reference, advantages.Advantages, advantages.Returns, mask,
                        options.MaxNewTokens, totals);
            }
        }

        // 5. Log.
        var lengths = generated.CompletionTokens.Select(c => c.Length).ToArray();
        var metrics = totals.Metrics(options.PolicyUpdatesPerBatch * options.MiniBatches);
        metrics[MetricKeys.PolicyEntropy] = entropy;
        metrics[MetricKeys.RewardFracZeroStd] = RolloutAdvantages.FracZeroStd(scored.Combined, options.GroupSize);
        metrics[MetricKeys.CompletionMeanLength] = lengths.Average();
        metrics[MetricKeys.CompletionMinLength] = lengths.Min();
        metrics[MetricKeys.CompletionMaxLength] = lengths.Max();
        metrics[MetricKeys.CompletionDistinctFrac] = CompletionDiversity.DistinctFraction(generated.CompletionTexts, options.GroupSize);
        metrics[MetricKeys.CompletionClippedRatio] = generated.CompletionTokens
            .Count(c => c.Length >= options.MaxNewTokens && c[^1] != context.Tokenizer.EosId) / (double)lengths.Length;
        PolicyUpdate.AddAdvantageMetrics(metrics, advantages.PerCompletion);
        if (options.Algorithm == TrainingAlgorithm.Ppo && oldValues is not null && advantages.Returns is not null)
            metrics[MetricKeys.ValueExplainedVariance] = PolicyUpdate.ExplainedVariance(oldValues, advantages.Returns, mask);
        RewardMetrics.Add(metrics, scored);
        var rollouts = Enumerable.Range(0, Math.Min(options.RolloutsPerStep, examples.Length))
            .Select(i => new RolloutRecord(i / options.GroupSize, examples[i].Prompt, generated.CompletionTexts[i], examples[i].Reference,
                scored.Combined[i], scored.ScoresOf(i), advantages.PerCompletion[i], lengths[i]))
            .ToArray();
        var tokens = (long)generated.Sequences.shape[0] * generated.Sequences.shape[1];
        return new StepOutcome(metrics, rollouts, tokens * options.PolicyUpdatesPerBatch + lengths.Sum());
    }

    public void Evaluate(TrainingContext context, IReadOnlyList<PromptExample> heldOut, int step, Dictionary<string, double> metrics) =>
        PassAtK.Evaluate(context, heldOut, step, metrics);
}
