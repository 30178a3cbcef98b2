using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RlStudio.Data.Entities;

namespace RlStudio.Data;

/// <summary>
/// The application schema, with ASP.NET Core Identity's tables for accounts (the <c>hangfire</c> schema is Hangfire's
/// own).
/// </summary>
public sealed class RlStudioDbContext(DbContextOptions<RlStudioDbContext> options)
    : IdentityDbContext<User, IdentityRole<long>, long>(options)
{
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricRecord> MetricPoints => Set<MetricRecord>();
    public DbSet<LatestMetric> LatestMetrics => Set<LatestMetric>();
    public DbSet<MetricBucket> MetricBuckets => Set<MetricBucket>();
    public DbSet<RolloutSample> RolloutSamples => Set<RolloutSample>();
    public DbSet<RunAlarm> RunAlarms => Set<RunAlarm>();
    public DbSet<RunSettingChange> RunSettingChanges => Set<RunSettingChange>();
    public DbSet<RunStatusChange> RunStatusChanges => Set<RunStatusChange>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<DatasetItem> DatasetItems => Set<DatasetItem>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<CheckpointChunk> CheckpointChunks => Set<CheckpointChunk>();
    public DbSet<CheckpointExport> CheckpointExports => Set<CheckpointExport>();
    public DbSet<WorkerNode> WorkerNodes => Set<WorkerNode>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ComparisonBatch> ComparisonBatches => Set<ComparisonBatch>();
    public DbSet<ComparisonItem> ComparisonItems => Set<ComparisonItem>();
    public DbSet<LabelAssignment> LabelAssignments => Set<LabelAssignment>();
    public DbSet<PreferenceLabel> PreferenceLabels => Set<PreferenceLabel>();
    public DbSet<RunArtifact> RunArtifacts => Set<RunArtifact>();
    public DbSet<RayCluster> RayClusters => Set<RayCluster>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RlStudioDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
