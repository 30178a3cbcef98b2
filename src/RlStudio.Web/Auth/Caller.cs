using System.Security.Claims;

namespace RlStudio.Web.Auth;

/// <summary>Who is calling, read from the request's principal: account id and name, role, the key used, a worker's node name.</summary>
public sealed record Caller(long? UserId, string Name, string? Role, long? ApiKeyId, string? WorkerName, long? RunScope = null)
{
    public const string ApiKeyClaim = "rlstudio:api_key";
    public const string WorkerClaim = "rlstudio:worker";
    public const string RunClaim = "rlstudio:run";

    public static readonly Caller Anonymous = new(null, "anonymous", null, null, null);

    public bool IsAdmin => Role == Roles.Admin;

    public static Caller From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return Anonymous;
        var id = long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId) ? userId : (long?)null;
        var key = long.TryParse(principal.FindFirstValue(ApiKeyClaim), out var keyId) ? keyId : (long?)null;
        var role = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).FirstOrDefault();
        var run = long.TryParse(principal.FindFirstValue(RunClaim), out var runId) ? runId : (long?)null;
        return new Caller(id, principal.Identity.Name ?? "unknown", role, key, principal.FindFirstValue(WorkerClaim), run);
    }

    /// <summary>Whether the caller may delete or change what <paramref name="ownerId"/> created: its owner or an Admin.</summary>
    public bool MayManage(long? ownerId) => IsAdmin || (UserId is { } id && ownerId == id);
}
