namespace RlStudio.Engine.Algorithms;

/// <summary>Knobs of <see cref="PolicyLoss"/>.</summary>
public sealed record PolicyLossSettings
{
    /// <summary>Lower clip ε: ratios below 1 − ε are clipped. Default 0.2.</summary>
    public double EpsilonLow { get; init; } = 0.2;

    /// <summary>Upper clip ε (DAPO clip-higher when &gt; EpsilonLow). Default 0.2.</summary>
    public double EpsilonHigh { get; init; } = 0.2;

    /// <summary>Weight of the k3 KL penalty against the reference model; 0 disables it. Default 0.04.</summary>
    public double Beta { get; init; } = 0.04;

    /// <summary>Default <see cref="LossAggregation.SequenceMean"/>.</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.SequenceMean;

    /// <summary>Default <see cref="RatioLevel.Token"/>; <see cref="RatioLevel.Sequence"/> is GSPO.</summary>
    public RatioLevel Level { get; init; } = RatioLevel.Token;

    public void Validate()
    {
        if (!(EpsilonLow > 0 && EpsilonLow < 1)) throw new ArgumentException("EpsilonLow must be in (0, 1).");
        if (!(EpsilonHigh > 0)) throw new ArgumentException("EpsilonHigh must be positive.");
        if (!(Beta >= 0)) throw new ArgumentException("Beta must be ≥ 0.");
    }
}
