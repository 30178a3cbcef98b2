namespace RlStudio.Contracts.Runs;

/// <summary>
/// What the runs list can be ordered by (<c>GET /api/runs?sort=</c>). Written on the wire in lowercase (<c>created</c>,
/// <c>name</c>, …); <see cref="Metric"/> is <c>metric:&lt;key&gt;</c>, a run's latest value of that metric.
/// </summary>
public enum RunSortField
{
    Created,
    Name,
    Status,
    Step,
    Algorithm,
    Experiment,
    Metric,
}

/// <summary>
/// A runs-list order: a field (for <see cref="RunSortField.Metric"/>, with its key) and a direction. One place defines the
/// wire form (<c>sort=metric:reward/mean&amp;order=desc</c>) and each field's natural direction, so the API, the runs
/// page and its address agree.
/// </summary>
public sealed record RunListSort(RunSortField Field, string? MetricKey, bool Descending)
{
    public const string MetricPrefix = "metric:";

    /// <summary>Newest first: the list's order when none is asked for.</summary>
    public static readonly RunListSort Default = new(RunSortField.Created, null, Descending: true);

    /// <summary>The <c>sort</c> values other than <c>metric:&lt;key&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
        [.. Enum.GetValues<RunSortField>().Where(f => f != RunSortField.Metric).Select(f => f.ToString().ToLowerInvariant())];

    /// <summary>
    /// Newest, furthest and best first (created, step, metrics: descending); names, statuses, algorithms and experiments
    /// alphabetically (ascending). Used when <c>order</c> is not given.
    /// </summary>
    public static bool DescendingByDefault(RunSortField field) => field is RunSortField.Created or RunSortField.Step or RunSortField.Metric;

    /// <summary>The <c>sort</c> value: <c>created</c>, <c>metric:reward/mean</c>, ….</summary>
    public string WireName => Field == RunSortField.Metric ? MetricPrefix + MetricKey : Field.ToString().ToLowerInvariant();

    /// <summary>The <c>order</c> value.</summary>
    public string OrderName => Descending ? "desc" : "asc";

    /// <summary>
    /// The field named by a <c>sort</c> value and its metric key, or null when <paramref name="sort"/> names nothing
    /// (the key's own rules, e.g. its length, are the caller's to check).
    /// </summary>
    public static (RunSortField Field, string? MetricKey)? ParseField(string sort)
    {
        if (sort.StartsWith(MetricPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = sort[MetricPrefix.Length..].Trim();
            return key.Length == 0 ? null : (RunSortField.Metric, key);
        }
        return FieldNames.Contains(sort.Trim().ToLowerInvariant()) && Enum.TryParse<RunSortField>(sort.Trim(), ignoreCase: true, out var field)
            ? (field, null)
            : null;
    }
}
