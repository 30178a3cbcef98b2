namespace RlStudio.Web.Ui;

/// <summary>
/// The sections of a run page's charts, by the metric key's prefix: held-out evaluation first (what generalises), then
/// training reward, policy, losses, completions, optimizer, performance, and every other metric. The one list of them:
/// the page's chooser reads it here and the chart module (<c>js/runCharts.js</c>) gets it at mount.
/// </summary>
public static class MetricGroups
{
    /// <summary>A section: id (for the address and test hooks), title, and the key prefixes it takes (none: the rest).</summary>
    public sealed record Group(string Id, string Title, IReadOnlyList<string> Prefixes);

    public const string OtherId = "other";

    public static readonly IReadOnlyList<Group> All =
    [
        new("eval", "Held-out evaluation", ["eval/"]),
        new("reward", "Reward", ["reward/", "rewards/", "env/"]),
        new("policy", "Policy", ["policy/", "advantage/"]),
        new("loss", "Loss", ["loss/", "value/"]),
        new("completion", "Completions", ["completion/"]),
        new("optim", "Optimizer", ["optim/"]),
        new("perf", "Performance", ["perf/"]),
        new(OtherId, "Other", []),
    ];

    public static readonly IReadOnlyList<string> Ids = [.. All.Select(g => g.Id)];

    /// <summary>The section of <paramref name="key"/>: the first whose prefix it starts with, else <see cref="OtherId"/>.</summary>
    public static Group Of(string key) =>
        All.FirstOrDefault(g => g.Prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) ?? All[^1];

    /// <summary>The groups as the chart module takes them.</summary>
    public static object ForJs() => All.Select(g => new { id = g.Id, title = g.Title, prefixes = g.Prefixes }).ToArray();
}
