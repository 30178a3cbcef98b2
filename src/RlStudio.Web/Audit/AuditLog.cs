using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Data;
using RlStudio.Data.Audit;
using RlStudio.Data.Entities;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Audit;

/// <summary>
/// Records who changed what, when and from where (<see cref="AuditEntry"/>). Called by the application after a change
/// has been made; the address is the HTTP client's (for the pages: their circuit connection's).
/// </summary>
public sealed class AuditLog(RlStudioDbContext db, IHttpContextAccessor http)
{
    public const string FromWebUi = "web UI";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task RecordAsync(Caller caller, string action, string targetType, object? targetId, object? before = null, object? after = null,
        CancellationToken cancellationToken = default) =>
        db.AppendAuditAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            UserId = caller.UserId,
            Actor = caller.Name,
            ApiKeyId = caller.ApiKeyId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId?.ToString(),
            Before = ToJson(before),
            After = ToJson(after),
            RemoteAddress = RemoteAddress(http.HttpContext),
        }, cancellationToken);

    /// <summary>A sign-in attempt (from the sign-in page's own request).</summary>
    public Task SignInAsync(HttpContext context, string name, long? userId, bool succeeded, string? reason) =>
        db.AppendAuditAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            UserId = userId,
            Actor = name.Length > 256 ? name[..256] : name,
            Action = succeeded ? "signin.success" : "signin.failure",
            TargetType = "account",
            TargetId = userId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            After = reason is null ? null : new JsonObject { ["reason"] = reason },
            RemoteAddress = RemoteAddress(context),
        }, context.RequestAborted);

    /// <summary>The client's address; for a page's action, the address of its circuit's connection, marked as the web UI.</summary>
    private static string RemoteAddress(HttpContext? context)
    {
        var address = context?.Connection.RemoteIpAddress?.ToString();
        if (context is null || address is null) return FromWebUi;
        return context.Request.Path.StartsWithSegments("/_blazor") ? $"{address} ({FromWebUi})" : address;
    }

    private static JsonObject? ToJson(object? value) => value switch
    {
        null => null,
        JsonObject json => json,
        _ => JsonSerializer.SerializeToNode(value, Json) as JsonObject,
    };
}
