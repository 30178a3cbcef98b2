namespace RlStudio.Web.Ui;

/// <summary>
/// Finds the UI's static files. The product keeps them in the repository-root <c>wwwroot/</c> (vendored
/// uPlot and SignalR client, the chart module, the stylesheet), not in the web project, so the host looks for
/// them: the <c>RlStudio:Ui:WebRoot</c> setting if given, else the first <c>wwwroot</c> holding
/// <see cref="Marker"/> in the content root or a folder above it (a published app copies it beside itself).
/// </summary>
public static class RootWebAssets
{
    public const string Marker = "js/runCharts.js";

    public const string SettingKey = "RlStudio:Ui:WebRoot";

    public static string? Find(string contentRoot, IConfiguration configuration)
    {
        var configured = configuration[SettingKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, contentRoot);
        }

        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "wwwroot");
                if (File.Exists(Path.Combine(candidate, Marker)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
