using System.Diagnostics;

namespace RlStudio.Bench;

/// <summary>Warm-up, then the median wall time of several repetitions.</summary>
public static class Timing
{
    public static double MedianSeconds(Action body, int warmup, int repetitions)
    {
        for (var i = 0; i < warmup; i++) body();
        var seconds = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            seconds[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        return repetitions % 2 == 1
            ? seconds[repetitions / 2]
            : (seconds[repetitions / 2 - 1] + seconds[repetitions / 2]) / 2;
    }
}
