using Microsoft.EntityFrameworkCore;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Data.Seeding;

/// <summary>
/// Seeds what the embedded demo needs, idempotently: experiment <c>demo</c>, dataset <c>addition-3digit</c>
/// (<see cref="AdditionItemCount"/> items <c>123+456=</c> → <c>579</c>, the same on every machine), the quicker
/// <c>addition-2digit</c> (<c>12+34=</c> → <c>46</c>), which the tiny preset learns in seconds on a CPU, and two more
/// built-in tasks: <c>sort-digits</c> (<c>sort 4813=</c> → <c>1348</c>) and <c>reverse-letters</c>
/// (<c>reverse abcde=</c> → <c>edcba</c>), 4 to 6 symbols each.
/// </summary>
public static class DemoSeeder
{
    public const string ExperimentName = "demo";
    public const string DatasetName = "addition-3digit";
    public const string QuickDatasetName = "addition-2digit";
    public const string SortDatasetName = "sort-digits";
    public const string ReverseDatasetName = "reverse-letters";
    public const int AdditionItemCount = 4096;

    public static async Task SeedAsync(RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Experiments.AnyAsync(e => e.Name == ExperimentName, cancellationToken))
        {
            db.Experiments.Add(new Experiment { Name = ExperimentName, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(cancellationToken);
        }
        if (!await db.Datasets.AnyAsync(d => d.Name == DatasetName, cancellationToken))
        {
            await db.AddVersionAsync(DatasetName, AdditionItems(AdditionItemCount, seed: 20240601), cancellationToken);
        }
        if (!await db.Datasets.AnyAsync(d => d.Name == QuickDatasetName, cancellationToken))
        {
            await db.AddVersionAsync(QuickDatasetName, AdditionItems(AdditionItemCount, seed: 20240602, digits: 2), cancellationToken);
        }
        if (!await db.Datasets.AnyAsync(d => d.Name == SortDatasetName, cancellationToken))
        {
            await db.AddVersionAsync(SortDatasetName, SymbolItems(AdditionItemCount, 20240603, "0123456789", "sort", s => [.. s.Order()]), cancellationToken);
        }
        if (!await db.Datasets.AnyAsync(d => d.Name == ReverseDatasetName, cancellationToken))
        {
            await db.AddVersionAsync(ReverseDatasetName, SymbolItems(AdditionItemCount, 20240604, "abcdefghijklmnopqrstuvwxyz", "reverse", s => [.. s.Reverse()]),
                cancellationToken);
        }
    }

    /// <summary>
    /// <c>"{verb} {symbols}="</c> → <paramref name="answer"/>(symbols), 4 to 6 symbols drawn from <paramref name="alphabet"/>
    /// by the same fixed-seed stream as <see cref="AdditionItems"/>.
    /// </summary>
    public static IReadOnlyList<NewDatasetItem> SymbolItems(int count, ulong seed, string alphabet, string verb, Func<string, char[]> answer)
    {
        var state = seed;
        var items = new List<NewDatasetItem>(count);
        for (var i = 0; i < count; i++)
        {
            var length = 4 + (int)(Next(ref state) % 3);
            var symbols = new string([.. Enumerable.Range(0, length).Select(_ => alphabet[(int)(Next(ref state) % (ulong)alphabet.Length)])]);
            items.Add(new NewDatasetItem($"{verb} {symbols}=", new string(answer(symbols))));
        }
        return items;
    }

    /// <summary>
    /// Additions of two numbers with <paramref name="digits"/> digits each (two-digit: 0–99) from a fixed-seed
    /// SplitMix64 stream (not <see cref="Random"/>, whose sequence may change).
    /// </summary>
    public static IReadOnlyList<NewDatasetItem> AdditionItems(int count, ulong seed, int digits = 3)
    {
        var low = digits == 3 ? 100 : 0;
        var span = (ulong)(Math.Pow(10, digits) - low);
        var state = seed;
        var items = new List<NewDatasetItem>(count);
        for (var i = 0; i < count; i++)
        {
            var a = low + (int)(Next(ref state) % span);
            var b = low + (int)(Next(ref state) % span);
            items.Add(new NewDatasetItem($"{a}+{b}=", (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return items;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
