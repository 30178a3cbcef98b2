using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Audit;

/// <summary>One recorded state change (see <c>GET /api/audit</c>).</summary>
public sealed record AuditEntryDto(
    long Id,
    DateTimeOffset At,
    long? UserId,
    string Actor,
    long? ApiKeyId,
    string Action,
    string TargetType,
    string? TargetId,
    JsonObject? Before,
    JsonObject? After,
    string? RemoteAddress);

/// <summary>A page of the audit log, newest first; <see cref="NextBefore"/> asks for the next (older) page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Entries, long? NextBefore, int Total);
