using System.Diagnostics;

namespace RlStudio.Bench;

/// <summary>Warm-up, then wall times of several repetitions; medians resist a busy machine.</summary>
public static class Timing
{
    public static double MedianSeconds(Action body, int warmup, int repetitions) =>
        Median(Paired(body, null, warmup, repetitions).Subject);

    /// <summary>
    /// Times <paramref name="subject"/> and, right before each repetition, <paramref name="reference"/>, so a
    /// ratio of the two is taken under the same machine load (shared cores drift by 2× within a minute).
    /// </summary>
    public static (double[] Subject, double[] Reference) Paired(Action subject, Action? reference, int warmup, int repetitions)
    {
        for (var i = 0; i < warmup; i++)
        {
            reference?.Invoke();
            subject();
        }
        var subjectSeconds = new double[repetitions];
        var referenceSeconds = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            if (reference is not null) referenceSeconds[i] = Seconds(reference);
            subjectSeconds[i] = Seconds(subject);
        }
        return (subjectSeconds, referenceSeconds);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double Seconds(Action body)
    {
        var clock = Stopwatch.StartNew();
        body();
        return clock.Elapsed.TotalSeconds;
    }
}
