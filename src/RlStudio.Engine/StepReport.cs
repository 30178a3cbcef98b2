namespace RlStudio.Engine;

/// <summary>What one optimizer step produced: metrics keyed by <see cref="MetricKeys"/> and a few rollouts.</summary>
public sealed record StepReport(int Step, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<RolloutRecord> Rollouts);
