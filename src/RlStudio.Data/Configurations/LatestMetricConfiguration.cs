using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class LatestMetricConfiguration : IEntityTypeConfiguration<LatestMetric>
{
    public void Configure(EntityTypeBuilder<LatestMetric> builder)
    {
        builder.ToTable("latest_metrics");
        builder.HasKey(m => new { m.RunId, m.Key });
        builder.Property(m => m.Key).HasMaxLength(MetricPoint.MaxKeyLength);
        builder.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
