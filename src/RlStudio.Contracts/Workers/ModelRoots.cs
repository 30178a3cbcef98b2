namespace RlStudio.Contracts.Workers;

/// <summary>
/// The folders under which a worker node reads model folders and writes exports (its <c>RlStudio:ModelRoots</c>,
/// announced in its heartbeat). This is the lexical rule, the same on the web host (before anything is queued) and on
/// the node; the node also resolves symbolic links before applying it.
/// </summary>
public static class ModelRoots
{
    public const int MaxPathLength = 1000;

    /// <summary>An absolute path without <c>..</c> or <c>.</c> segments, repeated or trailing slashes removed; null when it is not one.</summary>
    public static string? Normalize(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Length > MaxPathLength || path[0] != '/' || path.Any(char.IsControl)) return null;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is ".." or ".")) return null;
        return "/" + string.Join('/', segments);
    }

    /// <summary>Whether <paramref name="path"/> is a root or lies below one (not merely shares a prefix: <c>/models2</c> is not under <c>/models</c>).</summary>
    public static bool Contains(IEnumerable<string> roots, string? path)
    {
        if (Normalize(path) is not { } target) return false;
        return roots.Select(Normalize).OfType<string>()
            .Any(root => target == root || target.StartsWith(root == "/" ? "/" : root + "/", StringComparison.Ordinal));
    }

    /// <summary>The roots for a message: "/models, /data/exports", or "none".</summary>
    public static string Describe(IEnumerable<string> roots)
    {
        var list = roots.Select(Normalize).OfType<string>().Distinct().Order().ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
