using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>Generalized advantage estimation (Schulman et al. 2016) and the clipped value loss.</summary>
public static class Gae
{
    /// <summary>
    /// δ_t = r_t + γ·V_{t+1} − V_t, A_t = δ_t + γλ·A_{t+1}, V after the last token = 0.
    /// (B, T) rewards and values; returns (advantages, returns = A + V), 0 at masked positions. Masked positions are
    /// skipped, not ends: t + 1 is the next unmasked position, so an episode's turns chain across the observation tokens
    /// between them (with trailing padding only, as in single-turn rollouts, this is plain GAE).
    /// </summary>
    public static (Tensor Advantages, Tensor Returns) Compute(Tensor rewards, Tensor values, Tensor mask, double gamma, double lambda)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(values.dtype);
        var r = rewards.to(values.dtype) * m;
        var v = values * m;
        var t = (int)values.shape[1];
        var columns = new Tensor[t];
        var nextAdvantage = zeros(values.shape[0], dtype: values.dtype, device: values.device);
        var nextValue = zeros_like(nextAdvantage);
        for (var i = t - 1; i >= 0; i--)
        {
            var valid = m.select(1, i);
            var delta = r.select(1, i) + gamma * nextValue - v.select(1, i);
            var advantage = (delta + gamma * lambda * nextAdvantage) * valid;
            columns[i] = advantage;
            var skipped = 1 - valid;
            nextAdvantage = advantage + skipped * nextAdvantage;
            nextValue = v.select(1, i) + skipped * nextValue;
        }
        var advantages = stack(columns, 1);
        var returns = (advantages + v) * m;
        return (advantages.MoveToOuterDisposeScope(), returns.MoveToOuterDisposeScope());
    }

    /// <summary>½·max((V − R)², (clip(V, V_old ± ε) − R)²), masked mean.</summary>
    public static Tensor ValueLoss(Tensor values, Tensor oldValues, Tensor returns, Tensor mask, double epsilon)
    {
        using var scope = NewDisposeScope();
        var clipped = oldValues + (values - oldValues).clamp(-epsilon, epsilon);
        var loss = maximum((values - returns).square(), (clipped - returns).square()) * 0.5;
        return MaskedMath.Mean(loss, mask).MoveToOuterDisposeScope();
    }
}
