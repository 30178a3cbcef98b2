using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class RolloutSampleConfiguration : IEntityTypeConfiguration<RolloutSample>
{
    public void Configure(EntityTypeBuilder<RolloutSample> builder)
    {
        builder.ToTable("rollout_samples");
        builder.Property(r => r.Rewards).HasJsonbConversion();
        builder.Property(r => r.Turns).HasJsonbConversion();
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.RunId, r.Step, r.Ordinal }).IsUnique();
    }
}
