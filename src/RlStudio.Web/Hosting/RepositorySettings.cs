using Microsoft.Extensions.Configuration.Json;

namespace RlStudio.Web.Hosting;

public static class RepositorySettings
{
    private const string FileName = "appsettings.json";

    /// <summary>
    /// The product's settings file is <c>appsettings.json</c> at the repository root. A published build has it in
    /// its content root (loaded as usual); run from a checkout, it is loaded from the root in the same place of
    /// the configuration order, so environment variables and command-line arguments still override it.
    /// </summary>
    public static WebApplicationBuilder AddRepositorySettings(this WebApplicationBuilder builder)
    {
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, FileName))) return builder;
        var root = RepositoryRoot.Find(builder.Environment.ContentRootPath);
        if (root is null || !File.Exists(Path.Combine(root, FileName))) return builder;

        var sources = builder.Configuration.Sources;
        var defaultFile = sources.OfType<JsonConfigurationSource>().FirstOrDefault(s => s.Path == FileName);
        var index = defaultFile is null ? 0 : sources.IndexOf(defaultFile);
        var source = new JsonConfigurationSource { Path = Path.Combine(root, FileName), Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(index, source);
        return builder;
    }
}
