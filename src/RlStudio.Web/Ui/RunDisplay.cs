using MudBlazor;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Ui;

/// <summary>How runs' fields read on screen: status colours, algorithm and base-model labels, timestamps.</summary>
public static class RunDisplay
{
    public const string RewardKey = MetricPoint.RewardMean;

    public static Color StatusColor(RunStatus status) => status switch
    {
        RunStatus.Queued => Color.Default,
        RunStatus.Starting => Color.Info,
        RunStatus.Running => Color.Primary,
        RunStatus.CancelRequested => Color.Warning,
        RunStatus.Cancelled => Color.Dark,
        RunStatus.Succeeded => Color.Success,
        RunStatus.Failed => Color.Error,
        RunStatus.Lost => Color.Warning,
        RunStatus.PauseRequested => Color.Warning,
        RunStatus.Paused => Color.Secondary,
        _ => Color.Default,
    };

    public static Color ExportStatusColor(ExportStatus status) => status switch
    {
        ExportStatus.Queued => Color.Default,
        ExportStatus.Running => Color.Primary,
        ExportStatus.Succeeded => Color.Success,
        ExportStatus.Failed => Color.Error,
        _ => Color.Default,
    };

    public static string AlgorithmLabel(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Sft => "SFT",
        Algorithm.Grpo => "GRPO",
        Algorithm.Rloo => "RLOO",
        Algorithm.ReinforcePp => "REINFORCE++",
        Algorithm.Ppo => "PPO",
        Algorithm.Dpo => "DPO",
        Algorithm.Ipo => "IPO",
        Algorithm.RewardModel => "Reward model",
        Algorithm.External => "External",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public static string BaseLabel(BaseModelSpec spec) =>
        spec.Preset is { } preset ? $"preset {preset}"
        : spec.RunId is { } runId ? $"run #{runId} (latest checkpoint)"
        : spec.CheckpointId is { } checkpointId ? $"checkpoint #{checkpointId}"
        : spec.ModelPath is { } path ? $"model folder {path}"
        : "—";

    /// <summary>UTC, minute precision; the server renders the page, so the viewer's time zone is unknown.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "—";

    public static string Metric(double? value) =>
        value is { } v ? v.ToString(Math.Abs(v) >= 1000 ? "0.#" : "0.####", System.Globalization.CultureInfo.InvariantCulture) : "—";

    public static double? LatestReward(RunDto run) =>
        run.LatestMetrics.TryGetValue(RewardKey, out var value) ? value : null;

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
