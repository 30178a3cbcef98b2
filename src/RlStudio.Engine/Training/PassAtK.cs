using RlStudio.Engine.Evaluation;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;

namespace RlStudio.Engine.Training;

/// <summary>
/// Held-out evaluation of prompt-based runs: per reward function, greedy pass@1, sampled pass@k
/// (k = <see cref="TrainerOptions.PassK"/>) and the sampled mean accuracy, at the run's temperature (1 when it is 0)
/// (see <see cref="HeldOutEvaluator"/>). The sampling seed derives from (seed, step), so evaluation never disturbs the
/// training stream and a resumed run evaluates identically.
/// </summary>
internal static class PassAtK
{
    public static void Evaluate(TrainingContext context, IReadOnlyList<PromptExample> heldOut, int step, Dictionary<string, double> metrics)
    {
        var options = context.Options;
        var rewards = context.Rewards.Count > 0 ? context.Rewards : [new WeightedReward(new ExactMatchReward())];
        var sampling = new SamplingOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature > 0 ? options.Temperature : 1.0,
            TopK = options.TopK, TopP = options.TopP,
        };
        var seed = options.Seed * 1_000_033 + step * 7 + 5;
        foreach (var scores in HeldOutEvaluator.Evaluate(context.Compute, context.Tokenizer, heldOut, rewards, options.PassK, sampling, seed))
        {
            if (scores.PassAt1 is { } p1) metrics[MetricKeys.EvalPassAt1(scores.Function)] = p1;
            if (scores.PassAtK is { } pk) metrics[MetricKeys.EvalPassAtK(scores.Function)] = pk;
            if (scores.SampledMean is { } mean) metrics[MetricKeys.EvalSampledMean(scores.Function)] = mean;
        }
    }
}
