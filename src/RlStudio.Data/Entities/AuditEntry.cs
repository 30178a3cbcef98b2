using System.Text.Json.Nodes;

namespace RlStudio.Data.Entities;

/// <summary>
/// One state change: who (account and the key used, names kept as they were), when, from where, what
/// (<see cref="Action"/> on <see cref="TargetType"/> #<see cref="TargetId"/>) and, where it applies, the values before and
/// after. Never updated or deleted by the application.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public long? UserId { get; set; }
    /// <summary>The account's name at the time, or "anonymous" (a failed sign-in) or a worker node's name.</summary>
    public required string Actor { get; set; }
    public long? ApiKeyId { get; set; }
    /// <summary>Dotted verb, e.g. <c>run.create</c>, <c>key.revoke</c>, <c>signin.failure</c>.</summary>
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public string? TargetId { get; set; }
    public JsonObject? Before { get; set; }
    public JsonObject? After { get; set; }
    /// <summary>The client's address as the host saw it.</summary>
    public string? RemoteAddress { get; set; }
}
