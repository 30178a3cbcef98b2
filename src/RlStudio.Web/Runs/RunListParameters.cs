using System.Globalization;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Queries;

namespace RlStudio.Web.Runs;

/// <summary>
/// The query of <c>GET /api/runs</c> as sent: filters (<c>status</c>, <c>experiment</c>, <c>tag</c>, <c>q</c>), the
/// order (<c>sort</c>, <c>order</c>) and the window, either <c>offset</c>/<c>limit</c> (the older form, still valid) or
/// <c>page</c>/<c>pageSize</c> (1-based). Every value arrives as text so a malformed one gets a 400 naming its field
/// rather than the framework's bare 400.
/// </summary>
public sealed record RunListParameters(
    string? Status = null,
    string? Experiment = null,
    string? Tag = null,
    string? Q = null,
    string? Sort = null,
    string? Order = null,
    string? Limit = null,
    string? Offset = null,
    string? Page = null,
    string? PageSize = null)
{
    /// <summary>Longest <c>q</c>.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>The <see cref="RunListOptions"/> these ask for, or null with every bad field in <paramref name="errors"/>.</summary>
    public RunListOptions? Validate(ValidationErrors errors)
    {
        RunStatus? status = null;
        if (!string.IsNullOrWhiteSpace(Status))
        {
            if (!Enum.TryParse<RunStatus>(Status, ignoreCase: true, out var value) || !Enum.IsDefined(value) || int.TryParse(Status, out _))
                errors.Add("status", $"unknown status '{Status}'; expected one of {string.Join(", ", Enum.GetNames<RunStatus>())}");
            else status = value;
        }
        if (Q is { Length: > MaxSearchLength }) errors.Add("q", $"at most {MaxSearchLength} characters");
        var sort = ValidateSort(errors);
        var limit = Whole("limit", Limit, 1, RunListOptions.MaxLimit, errors);
        var pageSize = Whole("pageSize", PageSize, 1, RunListOptions.MaxLimit, errors);
        var offset = Whole("offset", Offset, 0, int.MaxValue, errors);
        var page = Whole("page", Page, 1, int.MaxValue, errors);
        if (limit is not null && pageSize is not null) errors.Add("pageSize", "give limit or pageSize, not both");
        if (offset is not null && page is not null) errors.Add("page", "give offset or page, not both");
        var size = pageSize ?? limit ?? RunListOptions.DefaultLimit;
        var skip = page is { } p ? (long)(p - 1) * size : offset ?? 0;
        if (skip > int.MaxValue) errors.Add("page", $"page × pageSize must stay below {int.MaxValue}");
        return errors.IsEmpty
            ? new RunListOptions(status, Blank(Experiment), Blank(Tag), Blank(Q), sort, (int)skip, size)
            : null;
    }

    private RunListSort? ValidateSort(ValidationErrors errors)
    {
        bool? descending = Order?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "asc" => false,
            "desc" => true,
            _ => Invalid(errors),
        };
        if (string.IsNullOrWhiteSpace(Sort))
        {
            return RunListSort.Default with { Descending = descending ?? RunListSort.Default.Descending };
        }
        if (RunListSort.ParseField(Sort) is not { } parsed)
        {
            errors.Add("sort", $"unknown sort '{Sort}'; expected one of {string.Join(", ", RunListSort.FieldNames)} or {RunListSort.MetricPrefix}<metric key>");
            return null;
        }
        if (parsed.MetricKey is { Length: > MetricPoint.MaxKeyLength })
        {
            errors.Add("sort", $"a metric key has at most {MetricPoint.MaxKeyLength} characters");
            return null;
        }
        return new RunListSort(parsed.Field, parsed.MetricKey, descending ?? RunListSort.DescendingByDefault(parsed.Field));

        static bool? Invalid(ValidationErrors errors)
        {
            errors.Add("order", "expected asc or desc");
            return null;
        }
    }

    /// <summary>A whole number in [min, max], null when absent; a bad one is named in <paramref name="errors"/>.</summary>
    private static int? Whole(string field, string? text, int min, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(field, max == int.MaxValue ? $"must be a whole number ≥ {min}" : $"must be between {min} and {max}");
            return null;
        }
        return value;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
