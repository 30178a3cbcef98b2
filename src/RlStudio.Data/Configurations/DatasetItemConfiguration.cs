using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class DatasetItemConfiguration : IEntityTypeConfiguration<DatasetItem>
{
    public void Configure(EntityTypeBuilder<DatasetItem> builder)
    {
        builder.ToTable("dataset_items");
        builder.Property(i => i.Metadata).HasColumnType("jsonb");
        builder.HasOne<DatasetVersion>().WithMany(v => v.Items).HasForeignKey(i => i.DatasetVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.DatasetVersionId, i.Ordinal }).IsUnique();
    }
}
