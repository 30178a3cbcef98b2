namespace RlStudio.Web.Hosting;

/// <summary>
/// The checkout this host runs from (the folder holding <c>RlStudio.sln</c>), found by walking up from the content
/// root, then from the app's base folder. Null for a published app outside a checkout. Used to find the repo-root
/// settings file, static files, data folder and the worker's sources.
/// </summary>
public static class RepositoryRoot
{
    public static string? Find(string contentRoot)
    {
        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RlStudio.sln"))) return dir.FullName;
            }
        }
        return null;
    }
}
