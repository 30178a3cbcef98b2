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

    private PolicyLossSettings LossSettings => new()
    {
        EpsilonLow = options.EffectiveClipLow,
        EpsilonHigh = options.EffectiveClipHigh,
        // REINFORCE++ and PPO put the KL into the token rewards instead of the loss.
        Beta = options.Algorithm is TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo ? options.Beta : 0,
        Aggregation = options.LossAggregation,
        Level = options.ImportanceLevel,
    };

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
        var totals = new UpdateTotals();
        if (minibatches)
        {
            pass.Dispose();
            for (var epoch = 0; epoch < options.PolicyUpdatesPerBatch; epoch++)
            {
                foreach (var rows in RowRange.Split(examples.Length, options.MiniBatches))
                {
                    using var views = NewDisposeScope();
                    using var slice = PolicyPass.Run(context.Compute, head, generated, options.Temperature, rows);
                    Update(context, slice, rows.Of(old)!, rows.Of(oldValues), rows.Of(reference), rows.Of(advantages.Advantages)!,
                        rows.Of(advantages.Returns), rows.Of(mask)!, totals);
                }
            }
        }
        else
        {
            for (var update = 0; update < options.PolicyUpdatesPerBatch; update++)
            {
                if (update > 0) pass = PolicyPass.Run(context.Compute, head, generated, options.Temperature);
                using (pass) Update(context, pass, old, oldValues, reference, advantages.Advantages, advantages.Returns, mask, totals);
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
        metrics[MetricKeys.CompletionClippedRatio] = generated.CompletionTokens
            .Count(c => c.Length >= options.MaxNewTokens && c[^1] != context.Tokenizer.EosId) / (double)lengths.Length;
        AddAdvantageMetrics(metrics, advantages.PerCompletion);
        if (options.Algorithm == TrainingAlgorithm.Ppo && oldValues is not null && advantages.Returns is not null)
            metrics[MetricKeys.ValueExplainedVariance] = ExplainedVariance(oldValues, advantages.Returns, mask);
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

    private void Update(TrainingContext context, PolicyPass pass, Tensor old, Tensor? oldValues, Tensor? reference,
        Tensor advantages, Tensor? returns, Tensor mask, UpdateTotals totals)
    {
        using var result = PolicyLoss.Compute(pass.LogProbs, old, reference, advantages, mask, LossSettings, options.MaxNewTokens);
        using var valueLoss = pass.Values is not null && oldValues is not null && returns is not null
            ? Gae.ValueLoss(pass.Values, oldValues, returns, mask, options.ValueClipEpsilon)
            : null;
        using var total = valueLoss is null ? result.Loss.alias() : result.Loss + options.ValueLossCoef * valueLoss;
        totals.GradNorm += Optimization.Update(context, total);
        totals.PolicyLoss += result.Loss.item<float>();
        totals.Kl += result.Kl.item<float>();
        totals.ClipFrac += result.ClipFrac.item<float>();
        totals.ClipFracLow += result.ClipFracLow.item<float>();
        totals.ClipFracHigh += result.ClipFracHigh.item<float>();
        totals.ApproxKl += result.ApproxKl.item<float>();
        totals.RatioMean += result.RatioMean.item<float>();
        totals.RatioMax = Math.Max(totals.RatioMax, result.RatioMax.item<float>());
        if (valueLoss is not null) totals.ValueLoss += valueLoss.item<float>();
        totals.HasValue = valueLoss is not null;
    }

    /// <summary>advantage/mean, std (unbiased), min and max over the completions (token-level: each completion's mean).</summary>
    private static void AddAdvantageMetrics(Dictionary<string, double> metrics, IReadOnlyList<double> advantages)
    {
        var mean = advantages.Average();
        metrics[MetricKeys.AdvantageMean] = mean;
        metrics[MetricKeys.AdvantageStd] = advantages.Count > 1
            ? Math.Sqrt(advantages.Sum(a => (a - mean) * (a - mean)) / (advantages.Count - 1))
            : 0;
        metrics[MetricKeys.AdvantageMin] = advantages.Min();
        metrics[MetricKeys.AdvantageMax] = advantages.Max();
    }

    /// <summary>1 − Var(R − V) / Var(R) over completion tokens (0 when the returns do not vary).</summary>
    private static double ExplainedVariance(Tensor values, Tensor returns, Tensor mask)
    {
        using var residual = returns - values;
        using var residualVariance = MaskedMath.Variance(residual, mask);
        using var returnVariance = MaskedMath.Variance(returns, mask);
        var denominator = returnVariance.item<float>();
        return denominator < 1e-12 ? 0 : 1 - residualVariance.item<float>() / denominator;
    }

    /// <summary>Scalars summed over the updates of one step (μ, times the minibatches).</summary>
    private sealed class UpdateTotals
    {
        public double PolicyLoss;
        public double Kl;
        public double ClipFrac;
        public double ClipFracLow;
        public double ClipFracHigh;
        public double ApproxKl;
        public double RatioMean;
        public double RatioMax;
        public double ValueLoss;
        public double GradNorm;
        public bool HasValue;

        public Dictionary<string, double> Metrics(int updates)
        {
            var metrics = new Dictionary<string, double>
            {
                [MetricKeys.LossPolicy] = PolicyLoss / updates,
                [MetricKeys.PolicyKl] = Kl / updates,
                [MetricKeys.PolicyClipFrac] = ClipFrac / updates,
                [MetricKeys.PolicyClipFracLow] = ClipFracLow / updates,
                [MetricKeys.PolicyClipFracHigh] = ClipFracHigh / updates,
                [MetricKeys.PolicyApproxKl] = ApproxKl / updates,
                [MetricKeys.PolicyRatioMean] = RatioMean / updates,
                [MetricKeys.PolicyRatioMax] = RatioMax,
                [MetricKeys.OptimGradNorm] = GradNorm / updates,
            };
            if (HasValue) metrics[MetricKeys.ValueLoss] = ValueLoss / updates;
            return metrics;
        }
    }
}
