using Hangfire;
using Hangfire.PostgreSql;
using RlStudio.Contracts.Jobs;
using RlStudio.Worker.Training;

namespace RlStudio.Worker.Hosting;

public static class HangfireWorkerExtensions
{
    /// <summary>
    /// Hosts a Hangfire server on this node's queues over the shared PostgreSQL storage and registers the
    /// training job. Polls every 500 ms so a queued run starts promptly; failed jobs are not retried
    /// (a run's failure is recorded on the run, and a re-claim resumes from its checkpoint).
    /// </summary>
    public static IServiceCollection AddTrainingServer(this IServiceCollection services, string connectionString, WorkerOptions options)
    {
        services.AddTransient<ITrainRunJob, TrainRunJob>();
        services.AddTransient<IExportCheckpointJob, ExportCheckpointJob>();
        services.AddTransient<ISampleComparisonBatchJob, SampleComparisonBatchJob>();
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                QueuePollInterval = TimeSpan.FromMilliseconds(500),
                PrepareSchemaIfNecessary = true,
            }));
        GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 0 });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(50));
        services.AddHangfireServer(server =>
        {
            server.ServerName = options.WorkerName;
            server.Queues = JobQueues.Served(options.EffectiveQueues);
            server.WorkerCount = options.Concurrency;
            // A stopping node lets each trainer finish its step and hand over a checkpoint (TrainingProcess waits 40 s).
            server.ShutdownTimeout = TimeSpan.FromSeconds(45);
        });
        return services;
    }
}
