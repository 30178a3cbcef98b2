namespace RlStudio.Web.EmbeddedWorker;

public static class EmbeddedWorkerExtensions
{
    /// <summary>
    /// Registers the worker child process when <c>RlStudio:EmbeddedWorker:Enabled</c> is true, or, when
    /// unset, when the web host runs its own PostgreSQL (<paramref name="usesEmbeddedDatabase"/>).
    /// </summary>
    public static IServiceCollection AddEmbeddedWorker(this IServiceCollection services, IConfiguration configuration, bool usesEmbeddedDatabase)
    {
        var section = configuration.GetSection(EmbeddedWorkerOptions.Section);
        services.AddOptions<EmbeddedWorkerOptions>().Bind(section);
        var enabled = section.GetValue<bool?>(nameof(EmbeddedWorkerOptions.Enabled)) ?? usesEmbeddedDatabase;
        if (enabled) services.AddHostedService<EmbeddedWorkerProcess>();
        return services;
    }
}
