using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>GET /api/runs/{id}/lineage</c>: the runs and checkpoints a run started from, up to a preset or model folder, and
/// the runs that start from it (<see cref="RunLineage"/>), so a result can be traced to what produced it.
/// </summary>
public static class RunLineageApi
{
    public static RouteGroupBuilder MapRunLineageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:long}/lineage", GetLineage);
        return api;
    }

    public static async Task<Results<Ok<RunLineageDto>, ProblemHttpResult>> GetLineage(long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.ReadLineageAsync(id, cancellationToken) is { } lineage ? TypedResults.Ok(lineage) : Problems.NotFound($"Run {id} does not exist.");
}
