using System.ComponentModel.DataAnnotations;

namespace RlStudio.Web.Launchers;

/// <summary>Section <c>RlStudio:Launchers</c>: how often launched jobs are looked at, and the address jobs report to.</summary>
public sealed class LauncherOptions
{
    public const string Section = "RlStudio:Launchers";

    /// <summary>How often queued runs are submitted and running jobs' status is read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The URL a job on a cluster reaches this server at (given to it as <c>MLFLOW_TRACKING_URI</c>); unset: the first
    /// address the server listens on, which only a job on the same machine can reach.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>How much of a job's log the run page shows (the end).</summary>
    public int LogTailCharacters { get; set; } = 20_000;
}
