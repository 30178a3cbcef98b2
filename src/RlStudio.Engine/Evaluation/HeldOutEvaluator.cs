using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Evaluation;

/// <summary>
/// Scores a policy on held-out prompts: greedy completions for pass@1 and k sampled completions per prompt for
/// pass@k and the sampled mean accuracy. A completion passes a function when its score is ≥ <see cref="PassThreshold"/>.
/// Generation runs in chunks of <see cref="ChunkRows"/> rows, so hundreds of prompts fit in memory. Sampling draws
/// from <paramref name="seed"/> alone, so an evaluation never disturbs a training stream and repeats exactly.
/// </summary>
public static class HeldOutEvaluator
{
    public const double PassThreshold = 0.5;

    /// <summary>Rows generated at once.</summary>
    public const int ChunkRows = 512;

    /// <param name="sampling">Temperature, top-k/top-p and length of the sampled completions (greedy uses its length).</param>
    public static IReadOnlyList<HeldOutScores> Evaluate(CausalLm model, ITokenizer tokenizer, IReadOnlyList<PromptExample> heldOut,
        IReadOnlyList<WeightedReward> rewards, int k, SamplingOptions sampling, long seed)
    {
        if (heldOut.Count == 0) throw new ArgumentException("No held-out examples to evaluate.", nameof(heldOut));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (sampling.Temperature <= 0) throw new ArgumentException("Sampled evaluation needs a temperature > 0.", nameof(sampling));
        var greedy = Score(model, tokenizer, heldOut, rewards, sampling with { Temperature = 0 }, null);
        var repeated = heldOut.SelectMany(e => Enumerable.Repeat(e, k)).ToArray();
        using var generator = new Generator(unchecked((ulong)seed), model.parameters().First().device);
        var sampled = Score(model, tokenizer, repeated, rewards, sampling, generator);
        return Enumerable.Range(0, rewards.Count)
            .Select(f => new HeldOutScores(rewards[f].Function.Name, AnyPasses(greedy, 1, f), AnyPasses(sampled, k, f), MeanPasses(sampled, f)))
            .ToArray();
    }

    /// <summary>Per completion, per function: the raw scores (null where unscorable).</summary>
    private static double?[][] Score(CausalLm model, ITokenizer tokenizer, IReadOnlyList<PromptExample> examples,
        IReadOnlyList<WeightedReward> rewards, SamplingOptions sampling, Generator? generator)
    {
        var scores = new List<double?[]>(examples.Count);
        foreach (var chunk in examples.Chunk(ChunkRows))
        {
            using var generated = Sampler.Generate(model, chunk.Select(e => tokenizer.EncodePrompt(e.Prompt)).ToArray(), sampling, generator, tokenizer);
            scores.AddRange(RewardBatch.Score(rewards, chunk, generated.CompletionTexts).Scores);
        }
        return [.. scores];
    }

    /// <summary>Share of prompts (with a scorable sample) where any of their <paramref name="k"/> consecutive samples passes.</summary>
    private static double? AnyPasses(double?[][] scores, int k, int function)
    {
        var scorable = 0;
        var passed = 0;
        for (var p = 0; p < scores.Length / k; p++)
        {
            var samples = Enumerable.Range(p * k, k).Select(i => scores[i][function]).OfType<double>().ToArray();
            if (samples.Length == 0) continue;
            scorable++;
            if (samples.Any(s => s >= PassThreshold)) passed++;
        }
        return scorable == 0 ? null : (double)passed / scorable;
    }

    private static double? MeanPasses(double?[][] scores, int function)
    {
        var samples = scores.Select(s => s[function]).OfType<double>().ToArray();
        return samples.Length == 0 ? null : samples.Count(s => s >= PassThreshold) / (double)samples.Length;
    }
}
