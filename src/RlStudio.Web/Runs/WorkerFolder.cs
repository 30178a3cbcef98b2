using RlStudio.Contracts.Workers;

namespace RlStudio.Web.Runs;

/// <summary>
/// A folder on the worker nodes (a model folder to start from, an export target): it must lie under a model root of the
/// nodes that serve the queue it goes to (<see cref="ModelRoots"/>). The web host cannot see those disks, so this is the
/// rule on the path; the node checks again with symbolic links resolved before it reads or writes.
/// </summary>
public static class WorkerFolder
{
    /// <summary>Why <paramref name="path"/> may not be used on queue <paramref name="queue"/>, or null when it may.</summary>
    public static string? Problem(string? path, string queue, IReadOnlyList<string> roots)
    {
        if (ModelRoots.Normalize(path) is null)
            return $"must be an absolute folder path (no '..', at most {ModelRoots.MaxPathLength} characters)";
        if (roots.Count == 0)
            return $"no worker node serving queue '{queue}' allows model folders: set RlStudio:ModelRoots on the nodes";
        return ModelRoots.Contains(roots, path)
            ? null
            : $"'{path}' is outside the model roots of the worker nodes serving queue '{queue}': {ModelRoots.Describe(roots)}";
    }
}
