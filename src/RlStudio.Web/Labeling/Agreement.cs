namespace RlStudio.Web.Labeling;

/// <summary>
/// Inter-annotator agreement over nominal labels: Krippendorff's α (any number of labelers, missing labels allowed) and
/// Cohen's κ (two labelers over their common items). Pure functions; units and labels are whatever the caller counts.
/// </summary>
public static class Agreement
{
    /// <summary>
    /// Krippendorff's α for nominal data: 1 − D_o / D_e from the coincidence matrix of the units with at least two labels
    /// (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"). Null when fewer than two labels are pairable or
    /// every pairable label has the same value (no variation to agree on).
    /// </summary>
    public static double? KrippendorffAlpha<T>(IEnumerable<IReadOnlyList<T>> units) where T : notnull
    {
        var coincidences = new Dictionary<(T, T), double>();
        foreach (var values in units.Where(u => u.Count >= 2))
        {
            var weight = 1.0 / (values.Count - 1);
            for (var i = 0; i < values.Count; i++)
            {
                for (var j = 0; j < values.Count; j++)
                {
                    if (i == j) continue;
                    var key = (values[i], values[j]);
                    coincidences[key] = coincidences.GetValueOrDefault(key) + weight;
                }
            }
        }
        var totals = coincidences.GroupBy(c => c.Key.Item1).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        var n = totals.Values.Sum();
        if (n < 2) return null;
        var observed = coincidences.Where(c => !Equals(c.Key.Item1, c.Key.Item2)).Sum(c => c.Value);
        var expected = totals.Sum(a => totals.Where(b => !Equals(a.Key, b.Key)).Sum(b => a.Value * b.Value)) / (n - 1);
        return expected == 0 ? null : 1 - observed / expected;
    }

    /// <summary>Cohen's κ = (p_o − p_e) / (1 − p_e) of paired labels; null without pairs or when p_e = 1 (both always gave one same value).</summary>
    public static double? CohenKappa<T>(IReadOnlyList<(T A, T B)> pairs) where T : notnull
    {
        if (pairs.Count == 0) return null;
        var observed = pairs.Count(p => Equals(p.A, p.B)) / (double)pairs.Count;
        var a = pairs.GroupBy(p => p.A).ToDictionary(g => g.Key, g => g.Count() / (double)pairs.Count);
        var b = pairs.GroupBy(p => p.B).ToDictionary(g => g.Key, g => g.Count() / (double)pairs.Count);
        var chance = a.Sum(x => x.Value * b.GetValueOrDefault(x.Key));
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }

    /// <summary>The value more than half of <paramref name="values"/> share, or default when there is no strict majority.</summary>
    public static bool TryMajority<T>(IReadOnlyList<T> values, out T majority) where T : notnull
    {
        var top = values.GroupBy(v => v).OrderByDescending(g => g.Count()).FirstOrDefault();
        majority = top is null ? default! : top.Key;
        return top is not null && top.Count() * 2 > values.Count;
    }

    /// <summary>1 − (share of the most common value): 0 when all agree.</summary>
    public static double Disagreement<T>(IReadOnlyList<T> values) where T : notnull =>
        values.Count == 0 ? 0 : 1 - values.GroupBy(v => v).Max(g => g.Count()) / (double)values.Count;
}
