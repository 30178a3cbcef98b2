using MudBlazor.Services;

namespace RlStudio.Web.Components;

/// <summary>Blazor (interactive server) with MudBlazor. Pages go under <c>Components/Pages</c>.</summary>
public static class UiSetup
{
    public static IServiceCollection AddRlStudioUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }

    public static WebApplication MapRlStudioUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
