using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Hosting;

public static class WorkerServiceExtensions
{
    /// <summary>Options, the ingest client, the parent watchdog and (unless <paramref name="announceNode"/> is false) the node heartbeat.</summary>
    public static IServiceCollection AddWorkerNode(this IServiceCollection services, IConfiguration configuration, bool announceNode = true)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<IngestClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            http.BaseAddress = new Uri(options.WebUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromMinutes(5);
            if (options.ApiKey.Length > 0) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        });
        services.AddSingleton<ModelRootGuard>();
        if (announceNode) services.AddHostedService<NodeHeartbeatService>();
        services.AddHostedService<ParentProcessWatchdog>();
        return services;
    }
}
