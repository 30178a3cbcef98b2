using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RunAlarmConfiguration : IEntityTypeConfiguration<RunAlarm>
{
    public void Configure(EntityTypeBuilder<RunAlarm> builder)
    {
        builder.ToTable("run_alarms");
        builder.Property(a => a.Kind).HasMaxLength(64);
        builder.Property(a => a.RaisedAt).HasDefaultValueSql("now()");
        builder.HasOne<Run>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.RunId, a.Kind }).IsUnique();
    }
}
