using System.Text.Json.Serialization;
using RlStudio.Contracts.Live;

namespace RlStudio.Web.Live;

public static class LiveSetup
{
    public static IServiceCollection AddRlStudioLive(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(json => json.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<LivePushService>();
        services.AddHostedService(provider => provider.GetRequiredService<LivePushService>());
        services.AddOptions<LiveBackplaneOptions>().BindConfiguration(LiveBackplaneOptions.Section);
        services.AddSingleton<LiveBackplane>();
        services.AddHostedService(provider => provider.GetRequiredService<LiveBackplane>());
        return services;
    }

    public static WebApplication MapRlStudioLive(this WebApplication app)
    {
        app.MapHub<RunsHub>(RunHub.Path).RequireAuthorization(Auth.Policies.Researchers);
        return app;
    }
}
