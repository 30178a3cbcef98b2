using Hangfire;
using Hangfire.PostgreSql;

namespace RlStudio.Web.Hosting;

/// <summary>
/// Hangfire client only: the web host enqueues <c>ITrainRunJob</c> into PostgreSQL (schema <c>hangfire</c>) and
/// shows the dashboard at <c>/hangfire</c>; workers run the Hangfire servers. Workers must use the same
/// serializer settings (simple assembly names, recommended settings).
/// </summary>
public static class HangfireSetup
{
    public static IServiceCollection AddRlStudioHangfire(this IServiceCollection services)
    {
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UsePostgreSqlStorage(storage => storage.UseNpgsqlConnection(
                provider.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseSetup.ConnectionStringName))));
        return services;
    }

    /// <summary>The dashboard, for Admins only (the endpoint's policy; Hangfire's own local-requests filter is replaced by it).</summary>
    public static void MapRlStudioHangfireDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [] }).RequireAuthorization(Auth.Policies.Admins);
}
