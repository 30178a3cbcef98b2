using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>Rows [Start, Start + Count) of a batch: a minibatch.</summary>
internal readonly record struct RowRange(long Start, long Count)
{
    /// <summary>This range of <paramref name="batch"/>'s first dimension (a view; null stays null).</summary>
    public Tensor? Of(Tensor? batch) => batch?.narrow(0, Start, Count);

    /// <summary><paramref name="count"/> equal consecutive ranges covering <paramref name="rows"/> rows.</summary>
    public static IEnumerable<RowRange> Split(long rows, int count) =>
        Enumerable.Range(0, count).Select(i => new RowRange(i * (rows / count), rows / count));
}
