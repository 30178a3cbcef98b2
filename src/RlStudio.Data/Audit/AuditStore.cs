using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Audit;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Audit;

/// <summary>The audit log: append, and read newest first with filters and a keyset cursor.</summary>
public static class AuditStore
{
    public static async Task AppendAuditAsync(this RlStudioDbContext db, AuditEntry entry, CancellationToken cancellationToken)
    {
        db.AuditLog.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(entry).State = EntityState.Detached;
    }

    /// <summary>
    /// Entries older than <paramref name="before"/> (an id; null: the newest), at most <paramref name="limit"/>, filtered by
    /// account (<paramref name="userId"/>), action prefix (<paramref name="action"/>, e.g. <c>run.</c>) and target.
    /// </summary>
    public static async Task<AuditPage> QueryAuditAsync(this RlStudioDbContext db, long? userId, string? action, string? targetType,
        string? targetId, long? before, int limit, CancellationToken cancellationToken)
    {
        var query = db.AuditLog.AsNoTracking()
            .Where(a => userId == null || a.UserId == userId)
            .Where(a => action == null || a.Action.StartsWith(action))
            .Where(a => targetType == null || a.TargetType == targetType)
            .Where(a => targetId == null || a.TargetId == targetId);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.Where(a => before == null || a.Id < before).OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).Select(a => new AuditEntryDto(a.Id, a.At, a.UserId, a.Actor, a.ApiKeyId, a.Action, a.TargetType, a.TargetId,
            a.Before, a.After, a.RemoteAddress)).ToList();
        return new AuditPage(page, rows.Count > limit ? page[^1].Id : null, total);
    }
}
