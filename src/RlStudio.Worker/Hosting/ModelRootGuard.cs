using Microsoft.Extensions.Options;
using RlStudio.Contracts.Workers;

namespace RlStudio.Worker.Hosting;

/// <summary>
/// This node reads model folders and writes exports only under its <see cref="WorkerOptions.ModelRoots"/>: the path, with
/// every symbolic link along it resolved (so a link inside a root cannot lead out of it), must lie under a root (roots
/// resolved the same way). The web host checked the path already; this is the check on the disk itself.
/// </summary>
public sealed class ModelRootGuard(IOptions<WorkerOptions> options)
{
    private const int MaxLinks = 40;

    /// <summary>The resolved path when it lies under a root; throws <see cref="UnauthorizedAccessException"/> naming the roots otherwise.</summary>
    public string Check(string path)
    {
        var roots = options.Value.ModelRoots;
        var resolved = ModelRoots.Normalize(path) is null ? null : Resolve(path);
        if (resolved is null || !ModelRoots.Contains(roots.Select(r => Resolve(r)), resolved))
            throw new UnauthorizedAccessException(
                $"'{path}'{(resolved is not null && resolved != path ? $" (resolved: {resolved})" : "")} is outside this node's model roots: {ModelRoots.Describe(roots)}.");
        return resolved;
    }

    /// <summary>The absolute path with each existing symbolic link along it replaced by its final target; missing tails are kept as they are.</summary>
    public static string Resolve(string path, int depth = 0)
    {
        if (depth > MaxLinks) throw new IOException($"Too many symbolic links resolving '{path}'.");
        var parts = Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true)!;
                next = Resolve(target.FullName, depth + 1);
            }
            else if (!info.Exists && !Directory.Exists(next))
            {
                return Path.Combine([current, .. parts[i..]]);
            }
            current = next;
        }
        return current;
    }
}
