using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>Dense float32 n × n matmul: the machine's reference peak for model FLOP/s.</summary>
public sealed class MatmulBenchmark(int n = 512, int inner = 20) : IDisposable
{
    private readonly Tensor a = randn(n, n).DetachFromDisposeScope();
    private readonly Tensor b = randn(n, n).DetachFromDisposeScope();

    /// <summary>FLOPs of one <see cref="Run"/>: <c>inner</c> products of 2n³ each.</summary>
    public double Flops => 2.0 * n * n * n * inner;

    public void Run()
    {
        for (var i = 0; i < inner; i++)
        {
            using var c = a.matmul(b);
        }
    }

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}
