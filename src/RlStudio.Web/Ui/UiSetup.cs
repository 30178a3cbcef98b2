using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using RlStudio.Web.Components;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.Ui;

/// <summary>
/// All of the browser UI's wiring, so the host's Program.cs needs two lines:
/// <c>builder.Services.AddRlStudioUi();</c>, <c>app.UseRlStudioStaticFiles();</c> (before authentication) and
/// <c>app.MapRlStudioUi();</c> (after it).
/// </summary>
public static class UiSetup
{
    public static IServiceCollection AddRlStudioUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.TryAddSingleton<ServerUrls>();
        services.AddScoped<RlStudioApp>();
        return services;
    }

    /// <summary>
    /// Serves the repository-root <c>wwwroot/</c> (see <see cref="RootWebAssets"/>) before authentication, so the
    /// sign-in page has its styles and scripts.
    /// </summary>
    public static WebApplication UseRlStudioStaticFiles(this WebApplication app)
    {
        var webRoot = RootWebAssets.Find(app.Environment.ContentRootPath, app.Configuration);
        if (webRoot is null)
        {
            app.Logger.LogWarning("RL Studio UI: no wwwroot with {Marker} found above {ContentRoot}; charts and live updates will not load",
                RootWebAssets.Marker, app.Environment.ContentRootPath);
        }
        else
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot) });
        }
        return app;
    }

    /// <summary>MudBlazor's and the framework's static web assets (<c>_content/…</c>, <c>_framework/…</c>) and the Razor component endpoints.</summary>
    public static WebApplication MapRlStudioUi(this WebApplication app)
    {
        // Outside Development the host does not read the build's static web assets manifest, so a `dotnet run`
        // (not `dotnet publish`) in Production would 500 on _content/MudBlazor/* and _framework/*: load it here.
        // A published app has no runtime manifest and this does nothing.
        if (!app.Environment.IsDevelopment())
        {
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        }

        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
