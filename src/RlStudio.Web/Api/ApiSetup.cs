using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RlStudio.Web.Auth;
using RlStudio.Web.Limits;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>REST API services (JSON, ProblemDetails, OpenAPI) and routes under <c>/api</c>.</summary>
public static class ApiSetup
{
    public static IServiceCollection AddRlStudioApi(this IServiceCollection services)
    {
        // camelCase (web defaults); enums as each Contracts type's converter says; NaN/Infinity allowed as strings.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddProblemDetails();
        // Unreadable requests throw in every environment so UnreadableRequestHandler can say what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<UnreadableRequestHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddSingleton<Hosting.DatabaseAvailability>();
        services.AddSingleton(TimeProvider.System);
        services.AddOpenApi();
        services.AddScoped<IRunReferences, DbRunReferences>();
        services.AddScoped<RunRequestValidator>();
        services.AddScoped<RunCommands>();
        services.AddScoped<SettingChangeRequests>();
        services.AddScoped<RunLifecycle>();
        services.AddScoped<ExportLifecycle>();
        services.AddScoped<RunDeletion>();
        services.AddScoped<RunPreflight>();
        services.AddScoped<IngestAccess>();
        services.AddScoped<Labeling.ComparisonBatchCommands>();
        services.AddScoped<Labeling.ComparisonSampling>();
        services.AddScoped<Labeling.BatchStatistics>();
        services.AddScoped<Labeling.BatchExport>();
        services.AddScoped<Labeling.LabelingService>();
        services.AddScoped<Mlflow.MlflowTracking>();
        services.AddHttpClient<Launchers.IJobLauncher, Launchers.RayJobLauncher>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddOptions<Launchers.LauncherOptions>().BindConfiguration(Launchers.LauncherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Launchers.ExternalLaunchMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<Launchers.ExternalLaunchMonitor>());
        services.AddOptions<StaleRunOptions>().BindConfiguration(StaleRunOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Alarms.AlarmMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<Alarms.AlarmMonitor>());
        services.AddSingleton<StaleRunMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<StaleRunMonitor>());
        return services;
    }

    /// <summary>Unhandled errors and bare 4xx/5xx statuses become ProblemDetails.</summary>
    public static WebApplication UseRlStudioErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Every route with the policy of its group (see docs/api.md); health alone is open.</summary>
    public static WebApplication MapRlStudioApi(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<LimitOptions>>().Value;
        app.MapHealthApi().AllowAnonymous();
        var api = app.MapGroup("").RequireRateLimiting(RateLimits.Api).WithMetadata(new RequestSizeLimitAttribute(limits.JsonBodyBytes));
        var researchers = api.MapGroup("").RequireAuthorization(Policies.Researchers);
        researchers.MapOpenApi();
        researchers.MapRunsApi();
        researchers.MapDatasetsApi(limits.DatasetUploadBytes);
        researchers.MapCheckpointsApi();
        researchers.MapWorkersApi();
        researchers.MapQueuesApi();
        researchers.MapExperimentsApi();
        researchers.MapComparisonBatchesApi(limits.DatasetUploadBytes);
        var tracking = api.MapGroup("").RequireAuthorization(Policies.Tracking);
        Mlflow.MlflowApi.MapMlflowApi(tracking);
        Mlflow.MlflowArtifactsApi.MapMlflowArtifactsApi(tracking);
        api.MapGroup("").RequireAuthorization(Policies.Labelers).MapLabelingApi();
        api.MapAccountsApi();
        api.MapAuditApi();
        Launchers.LaunchesApi.MapLaunchesApi(api);
        app.MapGroup("").RequireAuthorization(Policies.Workers).RequireRateLimiting(RateLimits.Ingest)
            .WithMetadata(new RequestSizeLimitAttribute(limits.IngestBodyBytes))
            .MapIngestApi(limits.CheckpointUploadBytes);
        return app;
    }
}
