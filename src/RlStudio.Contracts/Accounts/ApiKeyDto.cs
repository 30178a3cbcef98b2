namespace RlStudio.Contracts.Accounts;

/// <summary>An API key as lists show it: never the key itself, only its prefix.</summary>
public sealed record ApiKeyDto(
    long Id,
    string Name,
    string Prefix,
    long UserId,
    string UserName,
    string? Worker,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A new key: <see cref="Key"/> is shown this once and never stored.</summary>
public sealed record CreatedApiKeyDto(long Id, string Key, string Prefix, string Name, string? Worker, DateTimeOffset? ExpiresAt);

/// <summary>Body of <c>POST /api/users/{id}/keys</c> and <c>POST /api/workers/keys</c> (where <see cref="Name"/> is the worker node's name).</summary>
public sealed record CreateApiKeyRequest(string? Name = null, DateTimeOffset? ExpiresAt = null);
