using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RunStatusChangeConfiguration : IEntityTypeConfiguration<RunStatusChange>
{
    public void Configure(EntityTypeBuilder<RunStatusChange> builder)
    {
        builder.ToTable("run_status_changes");
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.Worker).HasMaxLength(200);
        builder.Property(c => c.At).HasDefaultValueSql("now()");
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.RunId, c.Id });
    }
}
