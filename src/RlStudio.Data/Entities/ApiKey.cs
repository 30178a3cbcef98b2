namespace RlStudio.Data.Entities;

/// <summary>
/// A bearer key: only its SHA-256 hash is stored, with a visible prefix to recognise it. A user key acts as its user
/// (with the user's role); a worker key is a worker node's identity and may only feed the ingest API for what that node
/// claimed (<see cref="WorkerName"/>).
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    /// <summary>The key's first characters (e.g. <c>rls_7Hq2xK</c>), shown in lists; not secret.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole key.</summary>
    public required byte[] Hash { get; set; }
    /// <summary>Set for a worker key: the node name it may report as.</summary>
    public string? WorkerName { get; set; }

    /// <summary>A run-scoped key: it reports into this one run through the MLflow API and can do nothing else.</summary>
    public long? RunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
