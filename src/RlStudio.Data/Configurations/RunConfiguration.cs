using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("runs");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Tags).HasDefaultValueSql("'{}'::text[]");
        builder.Property(r => r.Algorithm).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Spec).HasJsonbConversion();
        builder.Property(r => r.Params).HasJsonbConversion().HasDefaultValueSql("'{}'::jsonb");
        builder.Property(r => r.ExternalTags).HasJsonbConversion().HasDefaultValueSql("'{}'::jsonb");
        builder.Property(r => r.Launch).HasJsonbConversion();
        builder.Property(r => r.Queue).HasMaxLength(100);
        builder.Property(r => r.Worker).HasMaxLength(200);
        builder.Property(r => r.JobId).HasMaxLength(100);
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne(r => r.Experiment).WithMany(e => e.Runs).HasForeignKey(r => r.ExperimentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Dataset).WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.CreatedAt);
    }
}
