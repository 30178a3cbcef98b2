using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("datasets");
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}
