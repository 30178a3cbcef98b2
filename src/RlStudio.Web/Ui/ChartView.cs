using System.Globalization;

namespace RlStudio.Web.Ui;

/// <summary>
/// How metric charts are drawn: an EMA smoothing weight (0 = raw, up to 0.99; the raw curve stays faint behind) and a
/// log10 y axis. Kept in the page's address (<c>?smooth=0.6&amp;log=1</c>) so a shared link shows the same view.
/// </summary>
public sealed record ChartView(double Smoothing = 0, bool Log = false)
{
    public const double MaxSmoothing = 0.99;

    /// <summary>The view named by the address's query values (absent or malformed: the default).</summary>
    public static ChartView FromQuery(string? smooth, string? log) => new(
        double.TryParse(smooth, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) ? Math.Clamp(s, 0, MaxSmoothing) : 0,
        log is "1" or "true");

    /// <summary>The query values that name this view (null removes one from the address).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["smooth"] = Smoothing > 0 ? Smoothing.ToString("0.##", CultureInfo.InvariantCulture) : null,
        ["log"] = Log ? "1" : null,
    };
}
