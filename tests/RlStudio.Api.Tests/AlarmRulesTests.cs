using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Alarms;

namespace RlStudio.Api.Tests;

/// <summary>
/// Each alarm rule raised by a crafted series of the failure it names, none by a healthy run's series, and a rule turned
/// off by its setting at 0.
/// </summary>
public sealed class AlarmRulesTests
{
    private static readonly RunSettings Defaults = RunSettings.For(Algorithm.Grpo);

    /// <summary>30 steps of a healthy GRPO run: reward rising slowly, entropy and diversity well up, KL small, grad norms steady, eval rising.</summary>
    private static Dictionary<string, IReadOnlyList<SeriesPoint>> Healthy() => new()
    {
        [MetricPoint.RewardMean] = Series(30, s => 0.2 + 0.01 * s),
        [AlarmRules.Entropy] = Series(30, s => 1.2 - 0.01 * s),
        [AlarmRules.Kl] = Series(30, s => 0.01 * s / 30),
        [AlarmRules.Distinct] = Series(30, _ => 0.9),
        [AlarmRules.GradNorm] = Series(30, s => 1 + 0.1 * (s % 3)),
        [AlarmRules.Length] = Series(30, _ => 12),
        [AlarmRules.Clipped] = Series(30, _ => 0.02),
        ["eval/exact_match/pass@1"] = [new(0, 0.2), new(10, 0.3), new(20, 0.35), new(30, 0.4)],
    };

    [Fact]
    public void HealthyRun_RaisesNone() => Assert.Empty(AlarmRules.Evaluate(Defaults, Healthy()));

    [Theory]
    [InlineData(AlarmKinds.EntropyCollapse)]
    [InlineData(AlarmKinds.KlHigh)]
    [InlineData(AlarmKinds.DiversityCollapse)]
    [InlineData(AlarmKinds.GradSpike)]
    [InlineData(AlarmKinds.LengthHacking)]
    [InlineData(AlarmKinds.RewardEvalDivergence)]
    public void EachFailure_RaisesItsAlarmAndNoOther(string kind)
    {
        var series = Healthy();
        switch (kind)
        {
            case AlarmKinds.EntropyCollapse: series[AlarmRules.Entropy] = Series(30, s => s < 25 ? 0.8 : 0.01); break;
            case AlarmKinds.KlHigh: series[AlarmRules.Kl] = Series(30, s => s < 27 ? 0.1 : 2.5); break;
            // A format reward satisfied by one constant output: every group writes "hhhh" G times (1/8 distinct).
            case AlarmKinds.DiversityCollapse: series[AlarmRules.Distinct] = Series(30, s => s < 24 ? 0.9 : 0.125); break;
            case AlarmKinds.GradSpike: series[AlarmRules.GradNorm] = Series(30, s => s < 30 ? 1.0 : 40); break;
            case AlarmKinds.LengthHacking:
                series[MetricPoint.RewardMean] = Series(30, s => 0.2 + 0.03 * s);
                series[AlarmRules.Length] = Series(30, s => 10 + s);
                break;
            case AlarmKinds.RewardEvalDivergence:
                series[MetricPoint.RewardMean] = Series(30, s => 0.2 + 0.02 * s);
                series["eval/exact_match/pass@1"] = [new(0, 0.2), new(10, 0.4), new(20, 0.3), new(30, 0.25)];
                break;
        }

        var raised = AlarmRules.Evaluate(Defaults, series);

        var alarm = Assert.Single(raised);
        Assert.Equal(kind, alarm.Kind);
        Assert.Equal(30, alarm.Step);
        Assert.False(string.IsNullOrWhiteSpace(alarm.Message));
    }

    [Fact]
    public void AThresholdOfZero_TurnsItsRuleOff()
    {
        var series = Healthy();
        series[AlarmRules.Distinct] = Series(30, _ => 0.125);
        Assert.Single(AlarmRules.Evaluate(Defaults, series));
        Assert.Empty(AlarmRules.Evaluate(Defaults with { AlarmDistinctBelow = 0 }, series));
    }

    /// <summary>Steps 1..<paramref name="steps"/>.</summary>
    private static List<SeriesPoint> Series(int steps, Func<int, double> value) => Enumerable.Range(1, steps).Select(s => new SeriesPoint(s, value(s))).ToList();
}
