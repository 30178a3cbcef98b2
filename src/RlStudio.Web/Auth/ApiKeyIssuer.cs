using RlStudio.Contracts.Accounts;
using RlStudio.Data;
using RlStudio.Data.Accounts;

namespace RlStudio.Web.Auth;

/// <summary>Creates keys: the secret is returned once and only its hash stored.</summary>
public sealed class ApiKeyIssuer(RlStudioDbContext db)
{
    public const int MaxNameLength = 200;

    /// <summary>A key for an account (acting with the account's role).</summary>
    public Task<CreatedApiKeyDto> ForUserAsync(long userId, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        IssueAsync(userId, name, expiresAt, null, cancellationToken);

    /// <summary>A worker node's key, owned by the Admin who issued it; the node's earlier keys are revoked.</summary>
    public async Task<CreatedApiKeyDto> ForWorkerAsync(long issuedBy, string workerName, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await db.RevokeWorkerKeysAsync(workerName, DateTimeOffset.UtcNow, cancellationToken);
        return await IssueAsync(issuedBy, $"worker {workerName}", expiresAt, workerName, cancellationToken);
    }

    /// <summary>A run-scoped key of the run's owner: it reports into that run through the MLflow API, nothing else; revoked when the run ends.</summary>
    public Task<CreatedApiKeyDto> ForRunAsync(long ownerId, long runId, CancellationToken cancellationToken) =>
        IssueAsync(ownerId, $"run {runId} (launched job)", null, null, cancellationToken, runId);

    private async Task<CreatedApiKeyDto> IssueAsync(long userId, string name, DateTimeOffset? expiresAt, string? worker, CancellationToken cancellationToken,
        long? runId = null)
    {
        var secret = ApiKeySecret.New();
        var key = await db.AddApiKeyAsync(userId, name, ApiKeySecret.PrefixOf(secret), ApiKeySecret.Hash(secret), expiresAt, worker, cancellationToken, runId);
        return new CreatedApiKeyDto(key.Id, secret, key.Prefix, key.Name, worker, expiresAt);
    }
}
