using RlStudio.Data.Embedded;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.EmbeddedWorker;

public static class EmbeddedWorkerExtensions
{
    /// <summary>
    /// Registers the worker child process when <c>RlStudio:EmbeddedWorker:Enabled</c> is true, or, when
    /// unset, when the web host runs its own PostgreSQL (the all-in-one mode). Call after the database setup.
    /// </summary>
    public static WebApplicationBuilder AddRlStudioEmbeddedWorker(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(EmbeddedWorkerOptions.Section);
        builder.Services.AddOptions<EmbeddedWorkerOptions>().Bind(section);
        builder.Services.AddSingleton<ServerUrls>();
        var usesEmbeddedDatabase = builder.Services.Any(s => s.ServiceType == typeof(PostgresCluster));
        if (section.GetValue<bool?>(nameof(EmbeddedWorkerOptions.Enabled)) ?? usesEmbeddedDatabase)
        {
            builder.Services.AddHostedService<EmbeddedWorkerProcess>();
            // Stopping waits for the worker (and its trainers' shutdown checkpoints) before this host stops serving them.
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = EmbeddedWorkerProcess.GracePeriod + TimeSpan.FromSeconds(10));
        }
        return builder;
    }
}
