namespace RlStudio.Engine;

/// <summary>
/// A step's loss, gradient norm or mean reward came out NaN or infinite (<see cref="MetricKeys.MustStayFinite"/>): the
/// weights are no longer worth keeping, so the step is not reported and training stops. The caller's newest checkpoint
/// is the last good state.
/// </summary>
public sealed class TrainingDivergedException(int step, string metric, double value)
    : Exception($"Training diverged at step {step}: {metric} became {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity")}.")
{
    public int Step { get; } = step;
    public string Metric { get; } = metric;
    public double Value { get; } = value;
}
