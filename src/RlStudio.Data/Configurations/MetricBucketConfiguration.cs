using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Contracts.Metrics;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class MetricBucketConfiguration : IEntityTypeConfiguration<MetricBucket>
{
    public void Configure(EntityTypeBuilder<MetricBucket> builder)
    {
        builder.ToTable("metric_buckets");
        builder.HasKey(m => new { m.RunId, m.Key, m.Width, m.StartStep });
        builder.Property(m => m.Key).HasMaxLength(MetricPoint.MaxKeyLength);
        builder.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
