using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class MetricRecordConfiguration : IEntityTypeConfiguration<MetricRecord>
{
    public void Configure(EntityTypeBuilder<MetricRecord> builder)
    {
        builder.ToTable("metric_points");
        builder.HasKey(m => new { m.RunId, m.Key, m.Step });
        builder.Property(m => m.Key).HasMaxLength(MetricPoint.MaxKeyLength);
        builder.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
