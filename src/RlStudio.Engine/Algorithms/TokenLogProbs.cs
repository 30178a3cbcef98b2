using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>Per-token quantities of a model's next-token distribution.</summary>
public static class TokenLogProbs
{
    /// <summary>log softmax(logits)[token]: (B, T, V) logits and (B, T) tokens → (B, T).</summary>
    public static Tensor OfChosen(Tensor logits, Tensor tokens)
    {
        using var logp = logits.log_softmax(-1);
        using var index = tokens.unsqueeze(-1);
        using var gathered = logp.gather(-1, index);
        return gathered.squeeze(-1);
    }

    /// <summary>The mean entropy of the positions where <paramref name="mask"/> is 1, without grad (a metric).</summary>
    public static double MaskedMeanEntropy(Tensor logits, Tensor mask)
    {
        using var noGrad = no_grad();
        using var detached = logits.detach();
        using var entropy = Entropy(detached);
        using var mean = MaskedMath.Mean(entropy, mask);
        return mean.item<float>();
    }

    /// <summary>Entropy −Σ p log p of each position's distribution: (B, T, V) → (B, T).</summary>
    public static Tensor Entropy(Tensor logits)
    {
        using var logp = logits.log_softmax(-1);
        using var p = logp.exp();
        using var plogp = p * logp;
        using var sum = plogp.sum(-1);
        return sum.neg();
    }
}
