using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// Held-out evaluation of prompt-based runs: per reward function, greedy pass@1 and sampled pass@k
/// (k = <see cref="TrainerOptions.PassK"/>). A completion passes a function when its score is ≥ 0.5; prompts the
/// function cannot score are left out of that function's rates. Sampling uses a generator derived from
/// (seed, step), so evaluation never disturbs the training stream and a resumed run evaluates identically.
/// </summary>
internal static class PassAtK
{
    public const double PassThreshold = 0.5;

    public static void Evaluate(TrainingContext context, IReadOnlyList<PromptExample> heldOut, int step, Dictionary<string, double> metrics)
    {
        var options = context.Options;
        var rewards = context.Rewards.Count > 0 ? context.Rewards : [new WeightedReward(new ExactMatchReward())];
        var tokenizer = context.Tokenizer;
        var prompts = heldOut.Select(e => tokenizer.EncodePrompt(e.Prompt)).ToArray();

        var greedyOptions = new SamplingOptions { MaxNewTokens = options.MaxNewTokens, Temperature = 0 };
        using var greedy = Sampler.Generate(context.Compute, prompts, greedyOptions, null, tokenizer);
        var greedyScores = RewardBatch.Score(rewards, heldOut, greedy.CompletionTexts);

        var repeated = heldOut.SelectMany(e => Enumerable.Repeat(e, options.PassK)).ToArray();
        var sampledOptions = new SamplingOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature > 0 ? options.Temperature : 1.0,
            TopK = options.TopK, TopP = options.TopP,
        };
        using var generator = new Generator(unchecked((ulong)(options.Seed * 1_000_033 + step * 7 + 5)), context.Device);
        using var sampled = Sampler.Generate(context.Compute, repeated.Select(e => tokenizer.EncodePrompt(e.Prompt)).ToArray(),
            sampledOptions, generator, tokenizer);
        var sampledScores = RewardBatch.Score(rewards, repeated, sampled.CompletionTexts);

        for (var f = 0; f < rewards.Count; f++)
        {
            var name = greedyScores.FunctionNames[f];
            var passAt1 = Rate(heldOut.Count, 1, greedyScores, f);
            var passAtK = Rate(heldOut.Count, options.PassK, sampledScores, f);
            if (passAt1 is { } p1) metrics[MetricKeys.EvalPassAt1(name)] = p1;
            if (passAtK is { } pk) metrics[MetricKeys.EvalPassAtK(name)] = pk;
        }
    }

    /// <summary>Share of prompts (with at least one scorable sample) where any of their <paramref name="k"/> samples passes.</summary>
    private static double? Rate(int prompts, int k, RewardBatch scores, int function)
    {
        var scorable = 0;
        var passed = 0;
        for (var p = 0; p < prompts; p++)
        {
            var samples = Enumerable.Range(p * k, k).Select(i => scores.Scores[i][function]).OfType<double>().ToArray();
            if (samples.Length == 0) continue;
            scorable++;
            if (samples.Any(s => s >= PassThreshold)) passed++;
        }
        return scorable == 0 ? null : (double)passed / scorable;
    }
}
