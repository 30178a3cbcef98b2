using System.Globalization;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Ui;

/// <summary>
/// What the runs page shows: filters, order, page, and the columns (<see cref="RunsTableColumns"/> ids and metric keys).
/// Kept in the address (<c>?q=&amp;experiment=&amp;status=&amp;sort=&amp;order=&amp;page=&amp;size=&amp;cols=&amp;metrics=</c>,
/// defaults left out) so a list can be bookmarked and shared; read back leniently (a malformed value is the default).
/// </summary>
public sealed record RunsListView(
    string? Search = null,
    string? Experiment = null,
    RunStatus? Status = null,
    RunListSort? Sort = null,
    int Page = 1,
    int PageSize = RunsListView.DefaultPageSize,
    IReadOnlyList<string>? Columns = null,
    IReadOnlyList<string>? Metrics = null)
{
    public const int DefaultPageSize = 50;

    public static readonly IReadOnlyList<int> PageSizes = [10, 25, 50, 100, 200];

    /// <summary>Metric columns shown until the user picks others.</summary>
    public static readonly IReadOnlyList<string> DefaultMetrics = [MetricPoint.RewardMean];

    /// <summary>The most metric columns at once.</summary>
    public const int MaxMetricColumns = 12;

    public RunListSort Order => Sort ?? RunListSort.Default;

    public IReadOnlyList<string> ShownColumns => Columns ?? RunsTableColumns.Defaults;

    public IReadOnlyList<string> ShownMetrics => Metrics ?? DefaultMetrics;

    /// <summary>The view named by the address's query values.</summary>
    public static RunsListView FromQuery(IReadOnlyDictionary<string, string?> query)
    {
        string? Get(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        RunListSort? sort = null;
        if (Get("sort") is { } sortText && RunListSort.ParseField(sortText) is { } parsed && (parsed.MetricKey?.Length ?? 0) <= MetricPoint.MaxKeyLength)
        {
            var descending = Get("order") is { } order ? order.Equals("desc", StringComparison.OrdinalIgnoreCase) : RunListSort.DescendingByDefault(parsed.Field);
            sort = new RunListSort(parsed.Field, parsed.MetricKey, descending);
        }
        else if (Get("order") is { } orderOnly)
        {
            sort = RunListSort.Default with { Descending = orderOnly.Equals("desc", StringComparison.OrdinalIgnoreCase) };
        }
        return new RunsListView(
            Get("q"),
            Get("experiment"),
            Enum.TryParse<RunStatus>(Get("status"), ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : null,
            sort,
            int.TryParse(Get("page"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : 1,
            int.TryParse(Get("size"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && PageSizes.Contains(size) ? size : DefaultPageSize,
            Get("cols") is { } cols ? [.. List(cols).Where(RunsTableColumns.Ids.Contains)] : null,
            Get("metrics") is { } metrics ? [.. List(metrics).Where(k => k.Length <= MetricPoint.MaxKeyLength).Take(MaxMetricColumns)]
                : query.ContainsKey("metrics") ? [] : null);
    }

    /// <summary>The query values that name this view (null removes one from the address).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["q"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
        ["experiment"] = Experiment,
        ["status"] = Status?.ToString(),
        ["sort"] = Sort is null || Sort == RunListSort.Default ? null : Sort.WireName,
        ["order"] = Sort is null || Sort == RunListSort.Default || Sort.Descending == RunListSort.DescendingByDefault(Sort.Field) ? null : Sort.OrderName,
        ["page"] = Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null,
        ["size"] = PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null,
        ["cols"] = Columns is null ? null : string.Join(',', Columns),
        // An empty value (no metric column) differs from none (the defaults), so it stays in the address.
        ["metrics"] = Metrics is null ? null : string.Join(',', Metrics),
    };

    /// <summary>The REST query of this view's page.</summary>
    public RunListParameters ToParameters() => new(
        Status: Status?.ToString(), Experiment: Experiment, Q: string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
        Sort: Order.WireName, Order: Order.OrderName,
        Page: Page.ToString(CultureInfo.InvariantCulture), PageSize: PageSize.ToString(CultureInfo.InvariantCulture));

    private static IEnumerable<string> List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);
}
