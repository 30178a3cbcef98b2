using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class WorkerNodeConfiguration : IEntityTypeConfiguration<WorkerNode>
{
    public void Configure(EntityTypeBuilder<WorkerNode> builder)
    {
        builder.ToTable("worker_nodes");
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.HasIndex(w => w.Name).IsUnique();
        builder.Property(w => w.Device).HasMaxLength(100);
        builder.Property(w => w.GpuName).HasMaxLength(200);
        builder.Property(w => w.Queues).HasColumnType("text[]");
        builder.Property(w => w.ModelRoots).HasColumnType("text[]").HasDefaultValueSql("'{}'::text[]");
    }
}
