using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// The deterministic train/held-out split of a run's dataset: with evaluation on, a seeded permutation puts
/// round(EvalFraction · n) examples (at least one) aside; with it off, everything trains.
/// </summary>
internal static class HeldOutSplit
{
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> HeldOut) Split<T>(IReadOnlyList<T> data, TrainerOptions options)
    {
        if (options.EvalEvery == 0) return (data, []);
        var heldOut = Math.Max(1, (int)Math.Round(options.EvalFraction * data.Count));
        if (data.Count - heldOut < 1)
            throw new ArgumentException($"The dataset has {data.Count} examples: too few to hold {heldOut} out for evaluation and still train.", nameof(data));
        using var generator = new Generator(unchecked((ulong)(options.Seed * 7_919 + 424_242)), CPU);
        using var order = randperm(data.Count, generator: generator);
        var indices = order.data<long>().ToArray();
        return (indices.Skip(heldOut).Select(i => data[(int)i]).ToArray(), indices.Take(heldOut).Select(i => data[(int)i]).ToArray());
    }
}
