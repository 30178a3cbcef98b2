using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(a => a.At).HasDefaultValueSql("now()");
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(64);
        builder.Property(a => a.TargetId).HasMaxLength(256);
        builder.Property(a => a.RemoteAddress).HasMaxLength(64);
        builder.Property(a => a.Before).HasJsonbConversion();
        builder.Property(a => a.After).HasJsonbConversion();
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.UserId, a.At });
        builder.HasIndex(a => new { a.TargetType, a.TargetId });
    }
}
