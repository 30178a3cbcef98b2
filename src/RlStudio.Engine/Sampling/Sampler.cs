using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Sampling;

/// <summary>Batched autoregressive generation: prefill the left-padded prompts once, then one token per step.</summary>
public static class Sampler
{
    /// <summary>
    /// Completes each prompt (token ids, e.g. from <see cref="ITokenizer.EncodePrompt"/>); the tokenizer supplies
    /// PAD, EOS and the decoded texts (default: the byte tokenizer).
    /// </summary>
    public static GenerationResult Generate(CausalLm model, IReadOnlyList<int[]> prompts, SamplingOptions options, Generator? generator,
        ITokenizer? tokenizer = null)
    {
        tokenizer ??= ByteTokenizer.Instance;
        options.Validate();
        if (prompts.Count == 0) throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        var device = model.parameters().First().device;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        var (promptTokens, promptMask) = PaddedBatch.LeftPad(prompts, device, tokenizer.PadId);   // (B, P)
        var (b, p) = ((int)promptTokens.shape[0], (int)promptTokens.shape[1]);
        if (p + options.MaxNewTokens > model.Config.MaxSeq)
            throw new ArgumentException($"Prompt ({p}) + MaxNewTokens ({options.MaxNewTokens}) exceeds the model's MaxSeq ({model.Config.MaxSeq}).");
        var positions = PaddedBatch.Positions(promptMask);
        using var cache = options.UseKvCache ? new KvCache(model.Config, b, p + options.MaxNewTokens, device, model.WeightType) : null;

        var logits = LastLogits(model.Forward(promptTokens, positions, promptMask, cache));   // (B, V)
        var lastPosition = positions.narrow(1, p - 1, 1);                                    // (B, 1)
        var finished = zeros(b, dtype: ScalarType.Bool, device: device);
        var chosen = new List<Tensor>();
        var masks = new List<Tensor>();
        var logProbs = new List<Tensor>();

        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            using var stepScope = NewDisposeScope();
            var (next, logp) = Pick(logits, options, generator);                  // (B), (B)
            var active = finished.logical_not();
            next = where(active, next, tokenizer.PadId);
            chosen.Add(next.unsqueeze(1).MoveToOuterDisposeScope());
            masks.Add(active.to(ScalarType.Float32).unsqueeze(1).MoveToOuterDisposeScope());
            logProbs.Add(where(active, logp, 0f).unsqueeze(1).MoveToOuterDisposeScope());
            if (options.StopAtEos) finished = finished.logical_or(next.eq(tokenizer.EosId)).MoveToOuterDisposeScope();
            if (step == options.MaxNewTokens - 1 || finished.all().item<bool>()) break;

            Tensor stepLogits;
            if (cache is not null)
            {
                using var position = lastPosition + (step + 1);
                stepLogits = model.Forward(chosen[^1], position, keyMask: null, cache);       // one real token per row
            }
            else
            {
                using var generated = cat(chosen, 1);
                using var all = cat([promptTokens, generated], 1);
                using var validNew = ones(b, chosen.Count, dtype: ScalarType.Bool, device: device);
                using var allMask = cat([promptMask, validNew], 1);
                using var allPositions = PaddedBatch.Positions(allMask);
                stepLogits = model.Forward(all, allPositions, allMask, null);
            }
            logits = LastLogits(stepLogits).MoveToOuterDisposeScope();
        }

        var completion = cat(chosen, 1);                                              // (B, N)
        var completionMask = cat(masks, 1);                                           // (B, N)
        var sequences = cat([promptTokens, completion], 1).DetachFromDisposeScope();
        var attentionMask = cat([promptMask, completionMask.to(ScalarType.Bool)], 1).DetachFromDisposeScope();
        return new GenerationResult(sequences, attentionMask, completionMask.DetachFromDisposeScope(),
            cat(logProbs, 1).DetachFromDisposeScope(), p, tokenizer);
    }

    private static Tensor LastLogits(Tensor logits)
    {
        using var all = logits;
        return all.select(1, all.shape[1] - 1).to(ScalarType.Float32);
    }

    /// <summary>Chooses one token per row; returns it with its log-prob under the temperature-scaled distribution.</summary>
    private static (Tensor Next, Tensor LogProb) Pick(Tensor logits, SamplingOptions options, Generator? generator)
    {
        if (options.Temperature == 0)
        {
            var greedy = logits.argmax(-1);
            var logSoftmax = logits.log_softmax(-1);
            return (greedy, logSoftmax.gather(-1, greedy.unsqueeze(-1)).squeeze(-1));
        }
        var scaled = logits / options.Temperature;
        var logp = scaled.log_softmax(-1);
        var filtered = scaled;
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            var kth = scaled.topk(options.TopK, dim: -1).values.narrow(-1, options.TopK - 1, 1);
            filtered = filtered.masked_fill(filtered.lt(kth), float.NegativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            var (sorted, order) = filtered.sort(-1, descending: true);
            var probs = sorted.softmax(-1);
            var before = probs.cumsum(-1) - probs;                                   // mass of strictly better tokens
            var drop = before.gt(options.TopP);
            var dropUnsorted = zeros_like(drop).scatter(-1, order, drop);
            filtered = filtered.masked_fill(dropUnsorted, float.NegativeInfinity);
        }
        var next = multinomial(filtered.softmax(-1), 1, generator: generator).squeeze(-1);
        return (next, logp.gather(-1, next.unsqueeze(-1)).squeeze(-1));
    }
}
