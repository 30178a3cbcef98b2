using System.ComponentModel.DataAnnotations;

namespace RlStudio.Web.Runs;

/// <summary>When a run's worker counts as gone (section <c>RlStudio:StaleRuns</c>).</summary>
public sealed record StaleRunOptions
{
    public const string Section = "RlStudio:StaleRuns";

    /// <summary>A Starting, Running or CancelRequested run whose worker has not reported for this long is Lost.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How often runs are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(10);
}
