namespace RlStudio.Web.Hosting;

public static class WorkerHookSetup
{
    /// <summary>Registers <see cref="ServerUrls"/> and the embedded-worker hook (<see cref="EmbeddedWorkerService"/>).</summary>
    public static IServiceCollection AddRlStudioWorkerHook(this IServiceCollection services)
    {
        services.AddSingleton<ServerUrls>();
        services.AddHostedService<EmbeddedWorkerService>();
        return services;
    }
}
