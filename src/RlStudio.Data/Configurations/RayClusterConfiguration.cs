using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RayClusterConfiguration : IEntityTypeConfiguration<RayCluster>
{
    public void Configure(EntityTypeBuilder<RayCluster> builder)
    {
        builder.ToTable("ray_clusters");
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Address).HasMaxLength(500);
        builder.Property(c => c.AuthHeaderName).HasMaxLength(100);
        builder.Property(c => c.AuthHeaderValue).HasMaxLength(4000);
        builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.SetNull);
    }
}
