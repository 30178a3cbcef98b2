using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>Dense float32 n × n matmul: the machine's reference peak for model FLOP/s.</summary>
public static class MatmulBenchmark
{
    /// <summary>FLOP/s of (n × n) · (n × n), 2n³ FLOPs each, timed over batches of <paramref name="inner"/> products.</summary>
    public static double FlopsPerSecond(int n, int inner, int warmup, int repetitions)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        var seconds = Timing.MedianSeconds(() =>
        {
            for (var i = 0; i < inner; i++)
            {
                using var c = a.matmul(b);
            }
        }, warmup, repetitions);
        return 2.0 * n * n * n * inner / seconds;
    }
}
