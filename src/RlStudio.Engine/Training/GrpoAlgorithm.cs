using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// GRPO, one policy update per batch: generate G completions per prompt → score → group-relative
/// advantages → clipped surrogate + β·k3 KL against the frozen reference. Old log-probs are the
/// detached current ones, so the ratio is 1 and the clip only matters for multi-epoch variants.
/// </summary>
internal sealed class GrpoAlgorithm(TrainerOptions options) : ITrainingAlgorithm
{
    public int ExamplesPerStep => options.BatchSize / options.GroupSize;

    private PolicyLossSettings LossSettings => new()
    {
        EpsilonLow = options.ClipEpsilon,
        EpsilonHigh = options.ClipEpsilon,
        Beta = options.Beta,
        Aggregation = options.Aggregation,
    };

    public StepOutcome Step(TrainingContext context, IReadOnlyList<PromptExample> batch)
    {
        // 1. Rollout: G completions per prompt, laid out group by group.
        var examples = batch.SelectMany(e => Enumerable.Repeat(e, options.GroupSize)).ToArray();
        var sampling = new SamplingOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature, TopK = options.TopK, TopP = options.TopP,
        };
        using var generated = Sampler.Generate(context.Policy, examples.Select(e => ByteTokenizer.EncodePrompt(e.Prompt)).ToArray(),
            sampling, context.Sampling);

        // 2. Score and 3. advantages.
        var scored = RewardBatch.Score(context.Rewards, examples, generated.CompletionTexts);
        using var rewards = tensor(scored.Combined.ToArray(), dtype: ScalarType.Float64);
        var (rawAdvantages, fracZeroStd) = GroupAdvantages.Grpo(rewards, options.GroupSize, options.AdvantageScale);
        using var scorable = tensor(scored.Unscorable.Select(u => u ? 0.0 : 1.0).ToArray(), dtype: ScalarType.Float64);
        using var advantagesCpu = rawAdvantages * scorable;
        rawAdvantages.Dispose();
        var advantageValues = advantagesCpu.data<double>().ToArray();
        using var advantages = advantagesCpu.to(ScalarType.Float32).to(context.Device);

        // 4. Loss on the sampled tokens and one update.
        var mask = generated.CompletionMask;
        using var logits = CompletionLogits(context.Policy, generated, options.Temperature);    // (B, N, V)
        using var completion = generated.Sequences.narrow(1, generated.PromptLength, generated.CompletionLength);
        using var logp = TokenLogProbs.OfChosen(logits, completion);                            // (B, N)
        using var old = logp.detach();
        using var reference = options.Beta > 0 && context.Reference is not null
            ? ReferenceLogProbs(context.Reference, generated, options.Temperature)
            : null;
        using var result = PolicyLoss.Compute(logp, old, reference, advantages, mask, LossSettings, options.MaxNewTokens);
        var gradNorm = Optimization.Update(context, result.Loss);

        // 5. Log.
        var lengths = generated.CompletionTokens.Select(c => c.Length).ToArray();
        var metrics = new Dictionary<string, double>
        {
            [MetricKeys.LossPolicy] = result.Loss.item<float>(),
            [MetricKeys.PolicyKl] = result.Kl.item<float>(),
            [MetricKeys.PolicyClipFrac] = result.ClipFrac.item<float>(),
            [MetricKeys.PolicyEntropy] = Entropy(logits, mask),
            [MetricKeys.RewardFracZeroStd] = fracZeroStd,
            [MetricKeys.CompletionMeanLength] = lengths.Average(),
            [MetricKeys.OptimGradNorm] = gradNorm,
        };
        RewardMetrics.Add(metrics, scored);
        var rollouts = Enumerable.Range(0, Math.Min(options.RolloutsPerStep, examples.Length))
            .Select(i => new RolloutRecord(i / options.GroupSize, examples[i].Prompt, generated.CompletionTexts[i], examples[i].Reference,
                scored.Combined[i], scored.ScoresOf(i), advantageValues[i], lengths[i]))
            .ToArray();
        var tokens = (long)generated.Sequences.shape[0] * generated.Sequences.shape[1];
        return new StepOutcome(metrics, rollouts, tokens + lengths.Sum());
    }

    /// <summary>Log-probs of the generated tokens under <paramref name="model"/> with temperature-scaled logits: (B, N).</summary>
    internal static Tensor CompletionLogProbs(CausalLm model, GenerationResult generated, double temperature)
    {
        using var logits = CompletionLogits(model, generated, temperature);
        using var completion = generated.Sequences.narrow(1, generated.PromptLength, generated.CompletionLength);
        return TokenLogProbs.OfChosen(logits, completion);
    }

    private static Tensor ReferenceLogProbs(CausalLm reference, GenerationResult generated, double temperature)
    {
        using var noGrad = no_grad();
        return CompletionLogProbs(reference, generated, temperature);
    }

    private static double Entropy(Tensor logits, Tensor mask)
    {
        using var noGrad = no_grad();
        using var detached = logits.detach();
        using var entropy = TokenLogProbs.Entropy(detached);
        using var mean = MaskedMath.Mean(entropy, mask);
        return mean.item<float>();
    }

    /// <summary>Logits that predict the completion tokens, divided by the sampling temperature: (B, N, V).</summary>
    private static Tensor CompletionLogits(CausalLm model, GenerationResult generated, double temperature)
    {
        var width = generated.Sequences.shape[1] - 1;
        using var inputs = generated.Sequences.narrow(1, 0, width);
        using var inputMask = generated.AttentionMask.narrow(1, 0, width);
        using var positions = PaddedBatch.Positions(inputMask);
        using var logits = model.Forward(inputs, positions, inputMask, null);                     // (B, P + N − 1, V)
        using var completion = logits.narrow(1, generated.PromptLength - 1, generated.CompletionLength);
        return completion / temperature;
    }
}
