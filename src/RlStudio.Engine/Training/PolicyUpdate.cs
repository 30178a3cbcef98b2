using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// One clipped policy-gradient update, shared by single-turn rollouts and episodes: the policy loss against the stored
/// old log-probs (+ the k3 KL for GRPO and RLOO), PPO's clipped value loss when values are given, then
/// <see cref="Optimization.Update"/>; the scalars add up in <see cref="PolicyUpdateTotals"/>.
/// </summary>
internal static class PolicyUpdate
{
    public static PolicyLossSettings LossSettings(TrainerOptions options) => new()
    {
        EpsilonLow = options.EffectiveClipLow,
        EpsilonHigh = options.EffectiveClipHigh,
        // REINFORCE++ and PPO put the KL into the token rewards instead of the loss.
        Beta = options.Algorithm is TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo ? options.Beta : 0,
        Aggregation = options.LossAggregation,
        Level = options.ImportanceLevel,
    };

    /// <param name="maxLength">Dr. GRPO's constant normalizer: the most tokens a row can train.</param>
    public static void Apply(TrainingContext context, Tensor logp, Tensor? values, Tensor old, Tensor? oldValues, Tensor? reference,
        Tensor advantages, Tensor? returns, Tensor mask, int maxLength, PolicyUpdateTotals totals)
    {
        var options = context.Options;
        using var result = PolicyLoss.Compute(logp, old, reference, advantages, mask, LossSettings(options), maxLength);
        using var valueLoss = values is not null && oldValues is not null && returns is not null
            ? Gae.ValueLoss(values, oldValues, returns, mask, options.ValueClipEpsilon)
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

    /// <summary>1 − Var(R − V) / Var(R) over the masked tokens (0 when the returns do not vary).</summary>
    public static double ExplainedVariance(Tensor values, Tensor returns, Tensor mask)
    {
        using var residual = returns - values;
        using var residualVariance = MaskedMath.Variance(residual, mask);
        using var returnVariance = MaskedMath.Variance(returns, mask);
        var denominator = returnVariance.item<float>();
        return denominator < 1e-12 ? 0 : 1 - residualVariance.item<float>() / denominator;
    }

    /// <summary>advantage/mean, std (unbiased), min and max over completions or episodes (token-level: each one's mean).</summary>
    public static void AddAdvantageMetrics(Dictionary<string, double> metrics, IReadOnlyList<double> advantages)
    {
        var mean = advantages.Average();
        metrics[MetricKeys.AdvantageMean] = mean;
        metrics[MetricKeys.AdvantageStd] = advantages.Count > 1
            ? Math.Sqrt(advantages.Sum(a => (a - mean) * (a - mean)) / (advantages.Count - 1))
            : 0;
        metrics[MetricKeys.AdvantageMin] = advantages.Min();
        metrics[MetricKeys.AdvantageMax] = advantages.Max();
    }
}
