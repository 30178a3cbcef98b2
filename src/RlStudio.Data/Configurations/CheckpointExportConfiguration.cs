using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class CheckpointExportConfiguration : IEntityTypeConfiguration<CheckpointExport>
{
    public void Configure(EntityTypeBuilder<CheckpointExport> builder)
    {
        builder.ToTable("checkpoint_exports");
        builder.Property(e => e.Folder).HasMaxLength(1000);
        builder.Property(e => e.Queue).HasMaxLength(100);
        builder.Property(e => e.JobId).HasMaxLength(100);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Worker).HasMaxLength(200);
        builder.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.RunId);
        builder.HasIndex(e => new { e.CheckpointId, e.Status });
    }
}
