namespace RlStudio.Web.Runs;

/// <summary>
/// A folder on the worker nodes (a model folder to start from, an export target). The web host cannot see those
/// disks, so it checks only the form; the worker that uses the folder reports what is in it.
/// </summary>
public static class WorkerFolderPath
{
    public const string Rule = "an absolute folder path on the worker nodes (no '..', at most 1000 characters)";

    public static bool IsValid(string? path) =>
        !string.IsNullOrEmpty(path) && path.Length <= 1000 && path.StartsWith('/') && !path.Split('/').Contains("..");
}
