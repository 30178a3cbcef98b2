using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Accounts;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Accounts;

/// <summary>API keys by hash: the lookup behind every key-authenticated request, creation, lists and revocation.</summary>
public static class ApiKeyStore
{
    /// <summary>A key that may authenticate now: not revoked, not expired, its account enabled; with the account's role.</summary>
    public static async Task<ActiveApiKey?> FindActiveAsync(this RlStudioDbContext db, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now) && !k.User!.IsDisabled)
            .Select(k => new { k.Id, k.UserId, k.User!.UserName, k.WorkerName, k.RunId, k.LastUsedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (key is null) return null;
        var role = await db.RoleOf(key.UserId).FirstOrDefaultAsync(cancellationToken);
        return new ActiveApiKey(key.Id, key.UserId, key.UserName ?? "", role, key.WorkerName, key.LastUsedAt, key.RunId);
    }

    /// <summary>The names of an account's roles (RL Studio gives each account one).</summary>
    public static IQueryable<string> RoleOf(this RlStudioDbContext db, long userId) =>
        from userRole in db.UserRoles
        join role in db.Roles on userRole.RoleId equals role.Id
        where userRole.UserId == userId
        select role.Name!;

    public static Task TouchAsync(this RlStudioDbContext db, long keyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), cancellationToken);

    public static async Task<ApiKey> AddApiKeyAsync(this RlStudioDbContext db, long userId, string name, string prefix, byte[] hash,
        DateTimeOffset? expiresAt, string? workerName, CancellationToken cancellationToken, long? runId = null)
    {
        var key = new ApiKey
        {
            UserId = userId, Name = name, Prefix = prefix, Hash = hash, ExpiresAt = expiresAt, WorkerName = workerName, RunId = runId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>Keys, newest first: one account's, or everyone's (<paramref name="userId"/> null).</summary>
    public static Task<List<ApiKeyDto>> ListApiKeysAsync(this RlStudioDbContext db, long? userId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => userId == null || k.UserId == userId)
            .OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.UserId, k.User!.UserName ?? "", k.WorkerName, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);

    public static Task<ApiKeyDto?> GetApiKeyAsync(this RlStudioDbContext db, long id, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == id)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, k.UserId, k.User!.UserName ?? "", k.WorkerName, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Revokes a run's run-scoped keys (when the run ends).</summary>
    public static Task<int> RevokeRunKeysAsync(this RlStudioDbContext db, long runId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ApiKeys.Where(k => k.RunId == runId && k.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), cancellationToken);

    /// <summary>Revokes a key (once: a revoked key keeps its first revocation time). Returns whether it exists.</summary>
    public static async Task<bool> RevokeApiKeyAsync(this RlStudioDbContext db, long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken);
    }

    /// <summary>Revokes every live key of a worker node (before issuing it a new one).</summary>
    public static Task<int> RevokeWorkerKeysAsync(this RlStudioDbContext db, string workerName, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ApiKeys.Where(k => k.WorkerName == workerName && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), cancellationToken);
}

/// <summary>What authenticating with a key yields.</summary>
public sealed record ActiveApiKey(long Id, long UserId, string UserName, string? Role, string? WorkerName, DateTimeOffset? LastUsedAt, long? RunId = null);
