using Microsoft.EntityFrameworkCore;
using RlStudio.Data;
using RlStudio.Data.Embedded;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Hosting;

/// <summary>Connects the host to PostgreSQL: the configured server, or an embedded cluster started here.</summary>
public static class DatabaseSetup
{
    public const string ConnectionStringName = "RlStudio";

    public static async Task AddRlStudioDatabaseAsync(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RlStudioOptions>()
            .BindConfiguration(RlStudioOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionStringName)))
        {
            var options = builder.Configuration.GetSection(RlStudioOptions.Section).Get<RlStudioOptions>() ?? new RlStudioOptions();
            var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
            {
                DataDir = ResolveDataDir(options.DataDir, builder.Environment.ContentRootPath),
                Port = options.PostgresPort,
            });
            builder.Configuration[$"ConnectionStrings:{ConnectionStringName}"] = cluster.ConnectionString;
            builder.Services.AddSingleton(cluster); // stopped by RunWithEmbeddedDatabaseAsync
            builder.Services.AddHostedService<EmbeddedDatabaseWatchdog>();
        }

        builder.Services.AddDbContext<RlStudioDbContext>((services, db) =>
            db.UseNpgsql(services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)));
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddSingleton(services => new MetricWriter(
            services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)!, services.GetRequiredService<ILogger<MetricWriter>>()));
    }

    /// <summary>
    /// Runs the host, and stops the embedded cluster (if this host started one) however the host ends: after every
    /// hosted service that uses it has stopped (Ctrl+C, SIGTERM), and also when the host fails to start (e.g. the
    /// port is taken), so our PostgreSQL is never left running. The one owner of the cluster's lifetime.
    /// </summary>
    public static async Task RunWithEmbeddedDatabaseAsync(this WebApplication app)
    {
        var cluster = app.Services.GetService<PostgresCluster>();
        if (cluster is not null)
        {
            app.Logger.LogInformation("Embedded PostgreSQL on 127.0.0.1:{Port}, data in {ClusterDir}", cluster.Port, cluster.ClusterDir);
        }
        try
        {
            await app.RunAsync();
        }
        finally
        {
            if (cluster is not null)
            {
                app.Logger.LogInformation("Stopping embedded PostgreSQL");
                await cluster.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>See <see cref="RlStudioOptions.DataDir"/>.</summary>
    public static string ResolveDataDir(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, contentRoot);
        }
        return Path.Combine(RepositoryRoot.Find(contentRoot) ?? contentRoot, ".data");
    }

}
