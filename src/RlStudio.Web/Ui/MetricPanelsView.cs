namespace RlStudio.Web.Ui;

/// <summary>
/// Which chart sections (<see cref="MetricGroups"/>) and single metrics a run page hides, kept in its address
/// (<c>?hide=perf,optim&amp;hidemetrics=policy/kl</c>) so a shared link shows the same panels. Empty: everything shows.
/// </summary>
public sealed record MetricPanelsView(IReadOnlySet<string> HiddenGroups, IReadOnlySet<string> HiddenMetrics)
{
    public static readonly MetricPanelsView All = new(new HashSet<string>(), new HashSet<string>());

    /// <summary>The view named by the address's query values (unknown group ids are dropped).</summary>
    public static MetricPanelsView FromQuery(string? hide, string? hideMetrics) => new(
        Split(hide).Where(MetricGroups.Ids.Contains).ToHashSet(StringComparer.Ordinal),
        Split(hideMetrics).Where(k => k.Length <= Contracts.Metrics.MetricPoint.MaxKeyLength).ToHashSet(StringComparer.Ordinal));

    /// <summary>The query values that name this view (null removes one from the address).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["hide"] = HiddenGroups.Count == 0 ? null : string.Join(',', MetricGroups.Ids.Where(HiddenGroups.Contains)),
        ["hidemetrics"] = HiddenMetrics.Count == 0 ? null : string.Join(',', HiddenMetrics.Order(StringComparer.Ordinal)),
    };

    public MetricPanelsView WithGroup(string id, bool shown) => this with { HiddenGroups = Toggle(HiddenGroups, id, shown) };

    public MetricPanelsView WithMetric(string key, bool shown) => this with { HiddenMetrics = Toggle(HiddenMetrics, key, shown) };

    /// <summary>The same hidden sets (records compare sets by reference).</summary>
    public bool SameAs(MetricPanelsView other) => HiddenGroups.SetEquals(other.HiddenGroups) && HiddenMetrics.SetEquals(other.HiddenMetrics);

    /// <summary>The view as the chart module takes it.</summary>
    public object ForJs() => new { groups = HiddenGroups.ToArray(), metrics = HiddenMetrics.ToArray() };

    private static HashSet<string> Toggle(IReadOnlySet<string> set, string item, bool shown)
    {
        var next = new HashSet<string>(set, StringComparer.Ordinal);
        if (shown) next.Remove(item); else next.Add(item);
        return next;
    }

    private static IEnumerable<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
