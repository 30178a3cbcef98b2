using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class ComparisonBatchConfiguration : IEntityTypeConfiguration<ComparisonBatch>
{
    public void Configure(EntityTypeBuilder<ComparisonBatch> builder)
    {
        builder.ToTable("comparison_batches");
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(b => b.Error).HasMaxLength(4000);
        builder.Property(b => b.Sources).HasJsonbConversion();
        builder.Property(b => b.Guidelines).HasMaxLength(20_000);
        builder.Property(b => b.LabelerIds).HasColumnType("bigint[]");
        builder.Property(b => b.ExcludedLabelerIds).HasColumnType("bigint[]").HasDefaultValueSql("'{}'::bigint[]");
        builder.Property(b => b.Queue).HasMaxLength(100);
        builder.Property(b => b.JobId).HasMaxLength(100);
        builder.Property(b => b.Worker).HasMaxLength(200);
        builder.Property(b => b.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Dataset>().WithMany().HasForeignKey(b => b.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(b => b.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(b => b.CreatedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(b => b.CreatedAt);
    }
}

public sealed class ComparisonItemConfiguration : IEntityTypeConfiguration<ComparisonItem>
{
    public void Configure(EntityTypeBuilder<ComparisonItem> builder)
    {
        builder.ToTable("comparison_items");
        builder.HasOne(i => i.Batch).WithMany(b => b.Items).HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.BatchId, i.Ordinal }).IsUnique();
    }
}

public sealed class LabelAssignmentConfiguration : IEntityTypeConfiguration<LabelAssignment>
{
    public void Configure(EntityTypeBuilder<LabelAssignment> builder)
    {
        builder.ToTable("label_assignments");
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(a => a.Item).WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.LabelerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.ItemId, a.LabelerId }).IsUnique();
        builder.HasIndex(a => new { a.BatchId, a.LabelerId, a.State });
    }
}

public sealed class PreferenceLabelConfiguration : IEntityTypeConfiguration<PreferenceLabel>
{
    public void Configure(EntityTypeBuilder<PreferenceLabel> builder)
    {
        builder.ToTable("preference_labels");
        builder.Property(l => l.Choice).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Rationale).HasMaxLength(4000);
        builder.Property(l => l.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne(l => l.Item).WithMany().HasForeignKey(l => l.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(l => l.LabelerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.ItemId, l.LabelerId }).IsUnique();
        builder.HasIndex(l => new { l.BatchId, l.LabelerId });
    }
}
