namespace RlStudio.Engine.Training;

/// <summary>Scalars summed over the updates of one step (μ, times the minibatches).</summary>
internal sealed class PolicyUpdateTotals
{
    public double PolicyLoss;
    public double Kl;
    public double ClipFrac;
    public double ClipFracLow;
    public double ClipFracHigh;
    public double ApproxKl;
    public double RatioMean;
    public double RatioMax;
    public double ValueLoss;
    public double GradNorm;
    public bool HasValue;

    public Dictionary<string, double> Metrics(int updates)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricKeys.LossPolicy] = PolicyLoss / updates,
            [MetricKeys.PolicyKl] = Kl / updates,
            [MetricKeys.PolicyClipFrac] = ClipFrac / updates,
            [MetricKeys.PolicyClipFracLow] = ClipFracLow / updates,
            [MetricKeys.PolicyClipFracHigh] = ClipFracHigh / updates,
            [MetricKeys.PolicyApproxKl] = ApproxKl / updates,
            [MetricKeys.PolicyRatioMean] = RatioMean / updates,
            [MetricKeys.PolicyRatioMax] = RatioMax,
            [MetricKeys.OptimGradNorm] = GradNorm / updates,
        };
        if (HasValue) metrics[MetricKeys.ValueLoss] = ValueLoss / updates;
        return metrics;
    }
}
