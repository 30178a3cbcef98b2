using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class CheckpointChunkConfiguration : IEntityTypeConfiguration<CheckpointChunk>
{
    public void Configure(EntityTypeBuilder<CheckpointChunk> builder)
    {
        builder.ToTable("checkpoint_chunks");
        builder.HasKey(c => new { c.CheckpointId, c.Index });
        builder.Property(c => c.Data).HasColumnType("bytea");
        builder.HasOne<Checkpoint>().WithMany().HasForeignKey(c => c.CheckpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
