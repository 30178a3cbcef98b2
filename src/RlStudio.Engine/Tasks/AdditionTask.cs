using System.Globalization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tasks;

/// <summary>Built-in demo data: "a+b=" → "sum", operands uniform in [0, 10^digits).</summary>
public static class AdditionTask
{
    public static IReadOnlyList<PromptExample> Generate(int digits, int count, long seed)
    {
        if (digits is < 1 or > 9) throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits must be in 1..9.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        using var generator = new Generator((ulong)seed, CPU);
        var high = (long)Math.Pow(10, digits);
        using var operands = randint(0, high, [count, 2], dtype: ScalarType.Int64, generator: generator);
        var values = operands.data<long>().ToArray();
        return Enumerable.Range(0, count)
            .Select(i => (a: values[2 * i], b: values[2 * i + 1]))
            .Select(p => new PromptExample(
                string.Create(CultureInfo.InvariantCulture, $"{p.a}+{p.b}="),
                (p.a + p.b).ToString(CultureInfo.InvariantCulture)))
            .ToArray();
    }
}
