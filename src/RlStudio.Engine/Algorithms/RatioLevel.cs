namespace RlStudio.Engine.Algorithms;

/// <summary>Where the importance ratio is taken and clipped.</summary>
public enum RatioLevel
{
    /// <summary>Per token: exp(logp_t − old_t) (PPO, GRPO).</summary>
    Token,
    /// <summary>Per completion: exp(mean_t(logp_t − old_t)) (GSPO).</summary>
    Sequence,
}
