using System.Diagnostics;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// Supervised fine-tuning on prompt prefix (e.g. BOS) + prompt + reference + EOS in the run's tokenizer, cross-entropy on the reference and EOS only
/// (completion-only loss). Each step also decodes a few prompts greedily so reward/mean shows accuracy.
/// </summary>
internal sealed class SftAlgorithm(TrainerOptions options) : ITrainingAlgorithm<PromptExample>
{
    public int ExamplesPerStep => options.BatchSize;

    public StepOutcome Step(TrainingContext context, IReadOnlyList<PromptExample> batch)
    {
        var tokenizer = context.Tokenizer;
        var rows = batch.Select(e => (int[])[.. tokenizer.EncodePrompt(e.Prompt), .. tokenizer.Encode(e.Reference), tokenizer.EosId]).ToArray();
        var promptLengths = batch.Select(e => tokenizer.EncodePrompt(e.Prompt).Length).ToArray();
        var longest = rows.Max(r => r.Length);
        if (longest > context.Policy.Config.MaxSeq)
            throw new InvalidOperationException($"An SFT example is {longest} tokens; the model's MaxSeq is {context.Policy.Config.MaxSeq}.");

        var (tokens, _) = PaddedBatch.RightPad(rows, context.Device, tokenizer.PadId);
        var t = (int)tokens.shape[1] - 1;
        using var inputs = tokens.narrow(1, 0, t);
        using var targets = tokens.narrow(1, 1, t);
        using var lossMask = CompletionMask(rows, promptLengths, t, context.Device);     // (B, T − 1)
        using var rawLogits = context.Compute.call(inputs);                              // (B, T − 1, V)
        using var logits = rawLogits.to(ScalarType.Float32);                              // the loss runs in float32
        using var logp = TokenLogProbs.OfChosen(logits, targets);
        using var meanLogp = MaskedMath.Mean(logp, lossMask);
        using var loss = meanLogp.neg();
        var gradNorm = Optimization.Update(context, loss);

        using var entropy = EntropyOf(logits, lossMask);
        var metrics = new Dictionary<string, double>
        {
            [MetricKeys.LossSft] = loss.item<float>(),
            [MetricKeys.PolicyEntropy] = entropy.item<float>(),
            [MetricKeys.OptimGradNorm] = gradNorm,
        };
        var trainedTokens = rows.Sum(r => (long)r.Length);
        var rollouts = Evaluate(context, batch, metrics, out var generatedTokens);
        return new StepOutcome(metrics, rollouts, trainedTokens + generatedTokens);
    }

    public void Evaluate(TrainingContext context, IReadOnlyList<PromptExample> heldOut, int step, Dictionary<string, double> metrics) =>
        PassAtK.Evaluate(context, heldOut, step, metrics);

    /// <summary>Greedy completions of the first <see cref="TrainerOptions.RolloutsPerStep"/> prompts, scored by the run's rewards.</summary>
    private IReadOnlyList<RolloutRecord> Evaluate(TrainingContext context, IReadOnlyList<PromptExample> batch,
        Dictionary<string, double> metrics, out long generatedTokens)
    {
        generatedTokens = 0;
        var count = Math.Min(options.RolloutsPerStep, batch.Count);
        if (count == 0) return [];
        var examples = batch.Take(count).ToArray();
        var sampling = new SamplingOptions { MaxNewTokens = options.MaxNewTokens, Temperature = 0 };
        using var generated = Sampler.Generate(context.Compute, examples.Select(e => context.Tokenizer.EncodePrompt(e.Prompt)).ToArray(),
            sampling, null, context.Tokenizer);
        var rewards = context.Rewards.Count > 0 ? context.Rewards : [new WeightedReward(new ExactMatchReward())];
        var scored = RewardBatch.Score(rewards, examples, generated.CompletionTexts);
        RewardMetrics.Add(metrics, scored);
        var lengths = generated.CompletionTokens.Select(c => c.Length).ToArray();
        generatedTokens = lengths.Sum();
        metrics[MetricKeys.CompletionMeanLength] = lengths.Average();
        return Enumerable.Range(0, count)
            .Select(i => new RolloutRecord(i, examples[i].Prompt, generated.CompletionTexts[i], examples[i].Reference,
                scored.Combined[i], scored.ScoresOf(i), null, lengths[i]))
            .ToArray();
    }

    /// <summary>1 where the target token (column j + 1 of the row) belongs to the reference or EOS.</summary>
    private static Tensor CompletionMask(int[][] rows, int[] promptLengths, int width, Device device)
    {
        var mask = new float[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = promptLengths[i] - 1; j < rows[i].Length - 1; j++) mask[i * width + j] = 1;
        }
        return tensor(mask, [rows.Length, width]).to(device);
    }

    private static Tensor EntropyOf(Tensor logits, Tensor mask)
    {
        using var noGrad = no_grad();
        using var entropy = TokenLogProbs.Entropy(logits);
        return MaskedMath.Mean(entropy, mask);
    }
}
