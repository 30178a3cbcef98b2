using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>
/// PPO-style clipped surrogate with an optional k3 KL penalty (GRPO, PPO, RLOO, REINFORCE++):
/// pg_t = −min(ratio·A, clip(ratio, 1 − ε_low, 1 + ε_high)·A); loss_t = pg_t + β·kl_t.
/// </summary>
public static class PolicyLoss
{
    /// <param name="logp">(B, T) log-probs under the policy being trained (with grad).</param>
    /// <param name="old">(B, T) log-probs under the policy that sampled the batch.</param>
    /// <param name="reference">(B, T) log-probs under the frozen reference, or null when β = 0.</param>
    /// <param name="advantages">(B) one advantage per completion, or (B, T) one per token (PPO, REINFORCE++).</param>
    /// <param name="mask">(B, T) 1 for completion tokens.</param>
    /// <param name="maxLength">Dr. GRPO's denominator length; defaults to T.</param>
    public static PolicyLossResult Compute(Tensor logp, Tensor old, Tensor? reference, Tensor advantages, Tensor mask,
        PolicyLossSettings settings, int? maxLength = null)
    {
        settings.Validate();
        using var scope = NewDisposeScope();
        var m = mask.to(logp.dtype);
        var a = advantages.dim() == 1 ? advantages.to(logp.dtype).unsqueeze(1) : advantages.to(logp.dtype);   // (B, 1) or (B, T)
        var ratio = settings.Level switch
        {
            RatioLevel.Token => (logp - old).exp(),                                  // (B, T)
            RatioLevel.Sequence => SequenceRatio(logp, old, m).unsqueeze(1).expand_as(logp),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Level, null),
        };
        var clipped = ratio.clamp(1 - settings.EpsilonLow, 1 + settings.EpsilonHigh);
        var pg1 = ratio * a;
        var pg2 = clipped * a;
        var pg = minimum(pg1, pg2).neg();

        Tensor kl;
        Tensor tokenLoss;
        if (settings.Beta > 0)
        {
            if (reference is null) throw new ArgumentException("Beta > 0 needs reference log-probs.", nameof(reference));
            kl = KlK3(logp, reference);
            tokenLoss = pg + settings.Beta * kl;
        }
        else
        {
            kl = reference is null ? zeros_like(logp) : KlK3(logp, reference);
            tokenLoss = pg;
        }

        var loss = Aggregate(tokenLoss, m, settings.Aggregation, maxLength);
        using var noGrad = no_grad();
        var lowClipped = ratio.lt(1 - settings.EpsilonLow).logical_and(a.lt(0));
        var highClipped = ratio.gt(1 + settings.EpsilonHigh).logical_and(a.gt(0));
        var clipFracLow = MaskedMath.Mean(lowClipped.to(logp.dtype), m);
        var clipFracHigh = MaskedMath.Mean(highClipped.to(logp.dtype), m);
        var clipFrac = MaskedMath.Mean(lowClipped.logical_or(highClipped).to(logp.dtype), m);
        var klMean = MaskedMath.Mean(kl.detach(), m);
        var detachedRatio = ratio.detach();
        var approxKl = MaskedMath.Mean(KlK3(old, logp.detach()), m);               // (ratio − 1) − log ratio
        var ratioMean = MaskedMath.Mean(detachedRatio, m);
        var ratioMax = detachedRatio.masked_fill(m.eq(0), double.NegativeInfinity).max().clamp_min(0);
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), tokenLoss.detach().MoveToOuterDisposeScope(),
            clipFrac.MoveToOuterDisposeScope(), klMean.MoveToOuterDisposeScope(), clipFracLow.MoveToOuterDisposeScope(),
            clipFracHigh.MoveToOuterDisposeScope(), approxKl.MoveToOuterDisposeScope(), ratioMean.MoveToOuterDisposeScope(),
            ratioMax.MoveToOuterDisposeScope());
    }

    /// <summary>k3 estimator of KL(π ‖ ref): exp(ref − logp) − (ref − logp) − 1, per token (≥ 0).</summary>
    public static Tensor KlK3(Tensor logp, Tensor reference)
    {
        using var diff = reference - logp;
        using var e = diff.exp();
        using var d = e - diff;
        return d - 1;
    }

    /// <summary>GSPO sequence ratio exp(mean_t(logp_t − old_t)) over each completion's tokens: (B).</summary>
    public static Tensor SequenceRatio(Tensor logp, Tensor old, Tensor mask)
    {
        using var diff = logp - old;
        using var mean = MaskedMath.Mean(diff, mask, 1);
        return mean.exp();
    }

    /// <summary>Reduces (B, T) token losses to a scalar per <paramref name="aggregation"/>.</summary>
    public static Tensor Aggregate(Tensor tokenLoss, Tensor mask, LossAggregation aggregation, int? maxLength = null)
    {
        using var m = mask.to(tokenLoss.dtype);
        switch (aggregation)
        {
            case LossAggregation.SequenceMean:
            {
                using var perSequence = MaskedMath.Mean(tokenLoss, m, 1);
                return perSequence.mean();
            }
            case LossAggregation.TokenMean:
                return MaskedMath.Mean(tokenLoss, m);
            case LossAggregation.DrGrpo:
            {
                using var weighted = tokenLoss * m;
                using var total = weighted.sum();
                return total / (double)(tokenLoss.shape[0] * (maxLength ?? tokenLoss.shape[1]));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null);
        }
    }
}
