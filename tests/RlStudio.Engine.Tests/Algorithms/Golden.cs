using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Algorithms;

/// <summary>Float64 tensors in, doubles out, compared to 1e-6.</summary>
internal static class Golden
{
    public const double Tolerance = 1e-6;

    public static Tensor Vec(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    public static Tensor Mat(double[,] values) => tensor(values, dtype: ScalarType.Float64);

    public static double[] Values(Tensor t) => t.to(ScalarType.Float64).cpu().data<double>().ToArray();

    public static void Equal(double[] expected, Tensor actual)
    {
        var values = Values(actual);
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], Tolerance);
    }

    public static void Equal(double expected, Tensor actual) => Assert.Equal(expected, actual.item<double>(), Tolerance);
}
