using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Contracts.Datasets;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.ToTable("dataset_versions");
        builder.Property(v => v.ContentHash).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.Kind).HasConversion<string>().HasMaxLength(32).HasDefaultValue(DatasetKind.Prompts);
        builder.Property(v => v.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne(v => v.Dataset).WithMany(d => d.Versions).HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.DatasetId, v.Version }).IsUnique();
        builder.HasOne<ComparisonBatch>().WithMany().HasForeignKey(v => v.SourceBatchId).OnDelete(DeleteBehavior.SetNull);
    }
}
