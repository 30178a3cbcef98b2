using Xunit.Abstractions;
using System.Globalization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>Collects measured errors against their tolerances, prints them all, then fails once naming every breach.</summary>
internal sealed class ParityReport(ITestOutputHelper output)
{
    private readonly List<string> failures = [];

    /// <summary>A measured error that must stay at or below <paramref name="tolerance"/>.</summary>
    public void AtMost(string quantity, double measured, double tolerance) =>
        Record(quantity, measured, tolerance, measured <= tolerance, "≤");

    /// <summary>A measured similarity that must stay at or above <paramref name="floor"/>.</summary>
    public void AtLeast(string quantity, double measured, double floor) =>
        Record(quantity, measured, floor, measured >= floor, "≥");

    /// <summary>‖a − b‖ / ‖b‖ and the cosine of two tensors, in float64; (0, 1) when both are zero.</summary>
    public static (double Relative, double Cosine) Compare(Tensor actual, Tensor expected)
    {
        using var a = actual.to(ScalarType.Float64).flatten();
        using var b = expected.to(ScalarType.Float64).flatten();
        using var diff = a - b;
        var (na, nb, nd) = (a.norm().item<double>(), b.norm().item<double>(), diff.norm().item<double>());
        if (nb == 0) return (na == 0 ? 0 : double.PositiveInfinity, na == 0 ? 1 : 0);
        using var dot = a.dot(b);
        return (nd / nb, na == 0 ? 0 : dot.item<double>() / (na * nb));
    }

    public void ThrowIfAnyFailed()
    {
        if (failures.Count > 0) Assert.Fail($"{failures.Count} parity check(s) failed:\n{string.Join("\n", failures)}");
    }

    private void Record(string quantity, double measured, double bound, bool ok, string relation)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{(ok ? "ok  " : "FAIL")} {quantity}: {measured:E3} (must be {relation} {bound:E1})");
        output.WriteLine(line);
        if (!ok) failures.Add(line);
    }
}
