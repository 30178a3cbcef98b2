using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Live;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// Steering a run while it trains: <c>POST /api/runs/{id}/pause</c> stops it at the next step boundary with a checkpoint
/// (status PauseRequested, then Paused; a queued run pauses at once) and frees its worker; <c>POST /api/runs/{id}/continue</c>
/// queues it again, to go on from that checkpoint; <c>PATCH /api/runs/{id}/settings</c> changes the settings that may change
/// while it trains, from its next step boundary (or <c>atStep</c>), and <c>GET /api/runs/{id}/settings/changes</c> lists them.
/// </summary>
public static class RunSteeringApi
{
    public static RouteGroupBuilder MapRunSteeringApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id:long}/pause", PauseRun);
        api.MapPost("/{id:long}/continue", ContinueRun);
        api.MapPatch("/{id:long}/settings", ChangeSettings);
        api.MapGet("/{id:long}/settings/changes", ListSettingChanges);
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

    /// <summary>202 with the recorded change (its step once a worker applies it); 400 naming each bad field; 404; 409 for a finished or external run.</summary>
    public static async Task<Results<Accepted<SettingChangeDto>, ProblemHttpResult, ValidationProblem>> ChangeSettings(
        long id, JsonObject? body, SettingChangeRequests requests, RunNotifier notifier, AuditLog audit, RlStudioDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var outcome = await requests.RequestAsync(id, body, caller, cancellationToken);
        if (outcome.Kind != OutcomeKind.Ok) return Problems.Failure<Accepted<SettingChangeDto>, SettingChangeDto>(outcome);
        var change = outcome.Value!;
        await notifier.RunUpdatedAsync(db, id, cancellationToken);
        await audit.RecordAsync(caller, "run.settings", "run", id, after: new { change.Id, change.Changes, change.Step }, cancellationToken: cancellationToken);
        return TypedResults.Accepted($"/api/runs/{id}/settings/changes", change);
    }

    /// <summary>The run's settings changes, oldest first: who asked, when, and the step each took effect.</summary>
    public static async Task<Results<Ok<List<SettingChangeDto>>, ProblemHttpResult>> ListSettingChanges(
        long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)
            ? TypedResults.Ok(await db.SettingChangesAsync(id, cancellationToken))
            : Problems.NotFound($"Run {id} does not exist.");
}
