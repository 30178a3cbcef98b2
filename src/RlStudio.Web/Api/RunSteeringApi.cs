using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Queries;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// Steering a run while it trains: <c>POST /api/runs/{id}/pause</c> stops it at the next step boundary with a checkpoint
/// (status PauseRequested, then Paused; a queued run pauses at once) and frees its worker; <c>POST /api/runs/{id}/continue</c>
/// queues it again, to go on from that checkpoint.
/// </summary>
public static class RunSteeringApi
{
    public static RouteGroupBuilder MapRunSteeringApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id:long}/pause", PauseRun);
        api.MapPost("/{id:long}/continue", ContinueRun);
        return api;
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> PauseRun(
        long id, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await services.Commands.PauseAsync(id, cancellationToken);
        var run = await services.Db.GetRunAsync(id, cancellationToken);
        switch (outcome)
        {
            case CancelOutcome.NotFound:
                return Problems.NotFound($"Run {id} does not exist.");
            case CancelOutcome.Terminal:
                return Problems.Conflict($"Run {id} is {run?.Status}; only a queued or training run can pause.");
            case CancelOutcome.External:
                return Problems.Conflict($"Run {id} is an external run: its trainer, not RL Studio, decides when it stops.");
            case CancelOutcome.Changed:
                await services.Notifier.RunUpdatedAsync(services.Db, id, cancellationToken);
                await services.Audit.RecordAsync(Caller.From(user), "run.pause", "run", id, after: new { run?.Status, run?.Step }, cancellationToken: cancellationToken);
                break;
        }
        return TypedResults.Ok(run!);
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> ContinueRun(
        long id, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await services.Commands.ContinueAsync(id, cancellationToken))
        {
            var current = await services.Db.GetRunAsync(id, cancellationToken);
            return current is null
                ? Problems.NotFound($"Run {id} does not exist.")
                : Problems.Conflict($"Run {id} is {current.Status}; only a paused run can continue.");
        }
        await services.Notifier.RunUpdatedAsync(services.Db, id, cancellationToken);
        var run = (await services.Db.GetRunAsync(id, cancellationToken))!;
        await services.Audit.RecordAsync(Caller.From(user), "run.continue", "run", id, after: new { run.Status, run.Step }, cancellationToken: cancellationToken);
        return TypedResults.Ok(run);
    }
}
