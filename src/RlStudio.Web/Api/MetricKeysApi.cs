using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Api;

/// <summary><c>GET /api/runs/metric-keys</c>: the metric keys any run reports, for choosing columns and sort keys.</summary>
public static class MetricKeysApi
{
    /// <summary>At most this many keys (in key order).</summary>
    public const int MaxKeys = 500;

    public static RouteGroupBuilder MapMetricKeysApi(this RouteGroupBuilder api)
    {
        api.MapGet("/metric-keys", ListMetricKeys);
        return api;
    }

    public static async Task<Ok<List<string>>> ListMetricKeys(RlStudioDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.AllMetricKeysAsync(MaxKeys, cancellationToken));
}
