using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Audit;
using RlStudio.Data;
using RlStudio.Data.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary><c>GET /api/audit</c> (Admins): the audit log, newest first, filtered by account, action and target, paged by <c>before</c>.</summary>
public static class AuditApi
{
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", GetAudit).WithTags("Audit").RequireAuthorization(Policies.Admins);
        return app;
    }

    /// <param name="userId">Only this account's actions.</param>
    /// <param name="action">Actions starting with this, e.g. <c>run.</c> or <c>signin.failure</c>.</param>
    /// <param name="targetType">e.g. <c>run</c>, <c>dataset</c>, <c>account</c>, <c>api_key</c>.</param>
    /// <param name="targetId">One target (with <paramref name="targetType"/>).</param>
    /// <param name="before">An entry id: entries older than it (the previous page's <c>nextBefore</c>).</param>
    /// <param name="limit">1..500, default 100.</param>
    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> GetAudit(
        long? userId, string? action, string? targetType, string? targetId, long? before, int? limit, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"must be between 1 and {MaxLimit}");
        if (before is < 1) errors.Add("before", "must be ≥ 1");
        foreach (var (field, value) in new[] { ("action", action), ("targetType", targetType), ("targetId", targetId) })
        {
            if (value is { Length: > 256 } || value?.Any(char.IsControl) == true) errors.Add(field, "at most 256 characters, no control characters");
        }
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        return TypedResults.Ok(await db.QueryAuditAsync(userId, Blank(action), Blank(targetType), Blank(targetId), before, limit ?? 100, cancellationToken));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
