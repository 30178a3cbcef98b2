using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>REINFORCE++ advantages: KL-shaped token rewards, returns-to-go (γ = 1), whitened over the batch.</summary>
public static class ReinforcePlusPlus
{
    /// <param name="logp">(B, T) policy log-probs.</param>
    /// <param name="reference">(B, T) reference log-probs.</param>
    /// <param name="mask">(B, T) 1 for completion tokens (each row's tokens contiguous from column 0).</param>
    /// <param name="rewards">(B) sequence rewards, added at each row's last token.</param>
    /// <param name="beta">KL coefficient.</param>
    public static Tensor Advantages(Tensor logp, Tensor reference, Tensor mask, Tensor rewards, double beta)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(logp.dtype);
        var total = TokenRewards(logp, reference, m, rewards, beta);
        var returns = total.flip(1).cumsum(1).flip(1) * m;                         // G_t = Σ_{s≥t} r_s
        return MaskedMath.Whiten(returns, m).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL-shaped token rewards r_t = −β·(logp_t − ref_t), plus the sequence reward at each row's last
    /// completion token (REINFORCE++, PPO): (B, T).
    /// </summary>
    public static Tensor TokenRewards(Tensor logp, Tensor reference, Tensor mask, Tensor rewards, double beta)
    {
        using var scope = NewDisposeScope();
        var m = mask.to(logp.dtype);
        var tokenRewards = (logp - reference) * (-beta) * m;                       // (B, T)
        var lengths = m.sum(1).to(ScalarType.Int64);                               // (B)
        var last = (lengths - 1).clamp_min(0).unsqueeze(1);                        // (B, 1)
        var atLast = zeros_like(tokenRewards).scatter(1, last, rewards.to(logp.dtype).unsqueeze(1));
        return (tokenRewards + atLast * m).MoveToOuterDisposeScope();
    }
}
