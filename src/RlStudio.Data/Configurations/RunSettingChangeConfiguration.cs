using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RunSettingChangeConfiguration : IEntityTypeConfiguration<RunSettingChange>
{
    public void Configure(EntityTypeBuilder<RunSettingChange> builder)
    {
        builder.ToTable("run_setting_changes");
        builder.Property(c => c.Changes).HasJsonbConversion();
        builder.Property(c => c.RequestedBy).HasMaxLength(256);
        builder.Property(c => c.RequestedAt).HasDefaultValueSql("now()");
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.RunId, c.Id });
    }
}
