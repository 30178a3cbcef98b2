namespace RlStudio.Engine.Training;

/// <summary>An algorithm step's metrics (scalars already read), rollouts and the number of tokens it processed.</summary>
internal sealed record StepOutcome(Dictionary<string, double> Metrics, IReadOnlyList<RolloutRecord> Rollouts, long Tokens);
