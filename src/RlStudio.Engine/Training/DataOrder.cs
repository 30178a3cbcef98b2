using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// An endless, seeded stream over the dataset: each epoch is a fresh permutation derived from (seed, epoch),
/// so the position (<see cref="Cursor"/>) alone is enough to resume.
/// </summary>
internal sealed class DataOrder<T>(IReadOnlyList<T> data, long seed, long cursor)
{
    private long cachedEpoch = -1;
    private long[] permutation = [];

    /// <summary>Examples consumed so far.</summary>
    public long Cursor { get; private set; } = cursor;

    public IReadOnlyList<T> Take(int count)
    {
        var batch = new T[count];
        for (var i = 0; i < count; i++, Cursor++)
        {
            var epoch = Cursor / data.Count;
            if (epoch != cachedEpoch) permutation = Permutation(epoch);
            batch[i] = data[(int)permutation[Cursor % data.Count]];
        }
        return batch;
    }

    private long[] Permutation(long epoch)
    {
        cachedEpoch = epoch;
        using var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + epoch + 17)), CPU);
        using var order = randperm(data.Count, generator: generator);
        return order.data<long>().ToArray();
    }
}
