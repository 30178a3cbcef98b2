using RlStudio.Web.Hosting;

namespace RlStudio.Web.Ui;

/// <summary>
/// Finds the UI's static files. The product keeps them in the repository-root <c>wwwroot/</c> (vendored
/// uPlot and SignalR client, the chart module, the stylesheet), not in the web project, so the host looks for
/// them: the <c>RlStudio:Ui:WebRoot</c> setting if given, else a <c>wwwroot</c> holding <see cref="Marker"/> in the
/// content root (a published app copies it beside itself) or in the checkout's root.
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

        return new[] { contentRoot, RepositoryRoot.Find(contentRoot) }
            .Where(folder => folder is not null)
            .Select(folder => Path.Combine(folder!, "wwwroot"))
            .FirstOrDefault(candidate => File.Exists(Path.Combine(candidate, Marker)));
    }
}
