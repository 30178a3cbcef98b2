using Microsoft.EntityFrameworkCore;
using RlStudio.Data.Entities;

namespace RlStudio.Data;

/// <summary>The application schema (the <c>hangfire</c> schema is Hangfire's own).</summary>
public sealed class RlStudioDbContext(DbContextOptions<RlStudioDbContext> options) : DbContext(options)
{
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricRecord> MetricPoints => Set<MetricRecord>();
    public DbSet<LatestMetric> LatestMetrics => Set<LatestMetric>();
    public DbSet<RolloutSample> RolloutSamples => Set<RolloutSample>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<DatasetItem> DatasetItems => Set<DatasetItem>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<CheckpointChunk> CheckpointChunks => Set<CheckpointChunk>();
    public DbSet<CheckpointExport> CheckpointExports => Set<CheckpointExport>();
    public DbSet<WorkerNode> WorkerNodes => Set<WorkerNode>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RlStudioDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
