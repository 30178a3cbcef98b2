using System.Globalization;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Alarms;

/// <summary>
/// The ways RL runs fail, as rules over a run's recent metric series (each series in step order). Thresholds come from
/// the run's settings (<c>alarm*</c>, 0 turns a rule off); the windows are here:
/// <list type="bullet">
/// <item><b>entropy_collapse</b>: <c>policy/entropy</c> below <c>alarmEntropyBelow</c> at each of the last 5 steps.</item>
/// <item><b>kl_high</b>: <c>policy/kl</c> above <c>alarmKlAbove</c> at each of the last 3 steps.</item>
/// <item><b>diversity_collapse</b>: <c>completion/distinct_frac</c> averaging below <c>alarmDistinctBelow</c> over the last 5 steps.</item>
/// <item><b>grad_spike</b>: the newest <c>optim/grad_norm</c> above <c>alarmGradSpike</c> × the median of the 20 before it.</item>
/// <item><b>length_hacking</b>: over the last 20 steps, <c>reward/mean</c> up by ≥ 0.05 (last 5 vs first 5) while
/// <c>completion/mean_length</c> grew ≥ 25% or <c>completion/clipped_ratio</c> rose ≥ 0.2.</item>
/// <item><b>reward_eval_divergence</b>: the newest held-out score (<c>eval/env/success</c> or the first
/// <c>eval/…/pass@1</c>) ≥ 0.05 below its best so far, while <c>reward/mean</c> (mean of the 5 steps up to each) rose ≥ 0.05
/// since that best.</item>
/// </list>
/// </summary>
public static class AlarmRules
{
    public const string Entropy = "policy/entropy";
    public const string Kl = "policy/kl";
    public const string Distinct = "completion/distinct_frac";
    public const string GradNorm = "optim/grad_norm";
    public const string Length = "completion/mean_length";
    public const string Clipped = "completion/clipped_ratio";
    public const string EnvSuccess = "eval/env/success";

    /// <summary>Steps of history the rules look at, at most.</summary>
    public const int Window = 21;

    private const double RewardRise = 0.05;
    private const double EvalFall = 0.05;

    /// <summary>The series the rules read by name (besides any held-out pass@1, <see cref="IsPassAt1"/>).</summary>
    public static readonly IReadOnlyList<string> Keys = [Entropy, Kl, Distinct, GradNorm, Length, Clipped, MetricPoint.RewardMean, EnvSuccess];

    /// <summary>The series keys a rule may read.</summary>
    public static bool IsRead(string key) => Keys.Contains(key) || IsPassAt1(key);

    /// <summary>A held-out pass@1 series: <c>eval/&lt;function&gt;/pass@1</c>.</summary>
    public static bool IsPassAt1(string key) => key.StartsWith("eval/", StringComparison.Ordinal) && key.EndsWith("/pass@1", StringComparison.Ordinal);

    /// <summary>The alarms the series show now: kind, the step it shows at, what was seen.</summary>
    public static List<(string Kind, int Step, string Message)> Evaluate(RunSettings settings, IReadOnlyDictionary<string, IReadOnlyList<SeriesPoint>> series)
    {
        var raised = new List<(string, int, string)>();
        IReadOnlyList<SeriesPoint> Of(string key) => series.GetValueOrDefault(key) ?? [];

        if (settings.AlarmEntropyBelow > 0 && Last(Of(Entropy), 5) is { } entropy && entropy.All(p => p.Value < settings.AlarmEntropyBelow))
            raised.Add((AlarmKinds.EntropyCollapse, entropy[^1].Step,
                $"Policy entropy {F(entropy[^1].Value)} has stayed below {F(settings.AlarmEntropyBelow)} for 5 steps: sampling is nearly greedy and the policy no longer explores."));
        if (settings.AlarmKlAbove > 0 && Last(Of(Kl), 3) is { } kl && kl.All(p => p.Value > settings.AlarmKlAbove))
            raised.Add((AlarmKinds.KlHigh, kl[^1].Step,
                $"KL to the reference {F(kl[^1].Value)} has stayed above {F(settings.AlarmKlAbove)} for 3 steps: the policy has drifted far from its start."));
        if (settings.AlarmDistinctBelow > 0 && Last(Of(Distinct), 5) is { } distinct && distinct.Average(p => p.Value) < settings.AlarmDistinctBelow)
            raised.Add((AlarmKinds.DiversityCollapse, distinct[^1].Step,
                $"Only {F(distinct.Average(p => p.Value) * 100)}% of each group's completions differ (5-step mean, below {F(settings.AlarmDistinctBelow * 100)}%): the outputs have collapsed; read the rollouts."));
        if (settings.AlarmGradSpike > 0 && Last(Of(GradNorm), Window) is { } norms && Median(norms.Take(norms.Count - 1)) is var median and > 0
            && norms[^1].Value > settings.AlarmGradSpike * median)
            raised.Add((AlarmKinds.GradSpike, norms[^1].Step,
                $"Gradient norm {F(norms[^1].Value)} is {F(norms[^1].Value / median)}× its median {F(median)} over the previous 20 steps."));
        if (LengthHacking(Of(MetricPoint.RewardMean), Of(Length), Of(Clipped)) is { } hacking) raised.Add(hacking);
        if (Divergence(Of(MetricPoint.RewardMean), EvalSeries(series)) is { } divergence) raised.Add(divergence);
        return raised;
    }

    private static (string, int, string)? LengthHacking(IReadOnlyList<SeriesPoint> reward, IReadOnlyList<SeriesPoint> length, IReadOnlyList<SeriesPoint> clipped)
    {
        if (Last(reward, 20) is not { } r) return null;
        var rise = r.TakeLast(5).Average(p => p.Value) - r.Take(5).Average(p => p.Value);
        if (rise < RewardRise) return null;
        var from = r[0].Step;
        var l = length.Where(p => p.Step >= from).ToList();
        var c = clipped.Where(p => p.Step >= from).ToList();
        var growth = l.Count >= 10 && l.Take(5).Average(p => p.Value) > 0 ? l.TakeLast(5).Average(p => p.Value) / l.Take(5).Average(p => p.Value) - 1 : 0;
        var clipRise = c.Count >= 10 ? c.TakeLast(5).Average(p => p.Value) - c.Take(5).Average(p => p.Value) : 0;
        if (growth < 0.25 && clipRise < 0.2) return null;
        return (AlarmKinds.LengthHacking, r[^1].Step,
            $"Reward rose {F(rise)} over steps {from}–{r[^1].Step} while completions grew {F(growth * 100)}% longer and the share cut at the token limit rose {F(clipRise)}: the reward may pay for length.");
    }

    private static (string, int, string)? Divergence(IReadOnlyList<SeriesPoint> reward, (string Key, IReadOnlyList<SeriesPoint> Points)? eval)
    {
        if (eval is not { } e || e.Points.Count < 2 || reward.Count < 5) return null;
        var best = e.Points.Take(e.Points.Count - 1).MaxBy(p => p.Value)!;
        var latest = e.Points[^1];
        if (best.Value - latest.Value < EvalFall) return null;
        double RewardAt(int step) => reward.Where(p => p.Step <= step).TakeLast(5).DefaultIfEmpty(new SeriesPoint(step, double.NaN)).Average(p => p.Value);
        var (before, after) = (RewardAt(best.Step), RewardAt(latest.Step));
        if (!(after - before >= RewardRise)) return null;
        return (AlarmKinds.RewardEvalDivergence, latest.Step,
            $"Training reward rose {F(before)} → {F(after)} while held-out {e.Key} fell {F(best.Value)} → {F(latest.Value)} (steps {best.Step} → {latest.Step}): the policy may be exploiting the reward rather than learning the task.");
    }

    /// <summary>The held-out score the divergence rule follows: task success for agentic runs, else the first pass@1.</summary>
    private static (string, IReadOnlyList<SeriesPoint>)? EvalSeries(IReadOnlyDictionary<string, IReadOnlyList<SeriesPoint>> series) =>
        series.Where(s => s.Key == EnvSuccess || IsPassAt1(s.Key))
            .OrderBy(s => s.Key == EnvSuccess ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => ((string, IReadOnlyList<SeriesPoint>)?)(s.Key, s.Value)).FirstOrDefault();

    /// <summary>The last <paramref name="count"/> points, or null when there are fewer.</summary>
    private static IReadOnlyList<SeriesPoint>? Last(IReadOnlyList<SeriesPoint> points, int count) => points.Count < count ? null : points.TakeLast(count).ToList();

    private static double Median(IEnumerable<SeriesPoint> points)
    {
        var values = points.Select(p => p.Value).Order().ToList();
        return values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string F(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
