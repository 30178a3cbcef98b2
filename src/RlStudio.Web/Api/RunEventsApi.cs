using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;

namespace RlStudio.Web.Api;

/// <summary><c>GET /api/runs/{id}/events</c>: the run's timeline, newest first (<see cref="RunEvents"/>).</summary>
public static class RunEventsApi
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapRunEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:long}/events", ListEvents);
        return api;
    }

    public static async Task<Results<Ok<List<RunEventDto>>, ProblemHttpResult, ValidationProblem>> ListEvents(
        long id, int? limit, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid("limit", $"must be between 1 and {MaxLimit}");
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        return TypedResults.Ok(await db.RunEventsAsync(id, limit ?? DefaultLimit, cancellationToken));
    }
}
