using Microsoft.EntityFrameworkCore;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;

namespace RlStudio.Data.Seeding;

/// <summary>
/// Seeds what the embedded demo needs, idempotently: experiment <c>demo</c>, dataset <c>addition-3digit</c>
/// (<see cref="AdditionItemCount"/> items <c>123+456=</c> → <c>579</c>, the same on every machine) and the quicker
/// <c>addition-2digit</c> (<c>12+34=</c> → <c>46</c>), which the tiny preset learns in seconds on a CPU.
/// </summary>
public static class DemoSeeder
{
    public const string ExperimentName = "demo";
    public const string DatasetName = "addition-3digit";
    public const string QuickDatasetName = "addition-2digit";
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
