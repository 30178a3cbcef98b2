using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>GET /api/checkpoints/{id}/content</c>: a checkpoint's bytes, streamed chunk by chunk;
/// <c>POST /api/checkpoints/{id}/export</c>: queue writing it as a Hugging Face folder on a worker node;
/// <c>GET /api/exports/{id}</c> and <c>GET /api/runs/{id}/exports</c>: how exports went (also pushed live as
/// <c>ExportUpdated</c> to the run's SignalR group).
/// </summary>
public static class CheckpointsApi
{
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/checkpoints/{id:long}/content", GetCheckpointContent).WithTags("Checkpoints");
        app.MapPost("/api/checkpoints/{id:long}/export", ExportCheckpoint).WithTags("Checkpoints");
        app.MapGet("/api/exports/{id:long}", GetExport).WithTags("Checkpoints");
        app.MapGet("/api/runs/{id:long}/exports", ListRunExports).WithTags("Checkpoints");
        return app;
    }

    /// <summary>The content as application/octet-stream with Content-Length and the SHA-256 as ETag.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetCheckpointContent(
        long id, RlStudioDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (await db.GetCheckpointAsync(id, cancellationToken) is not { } checkpoint)
        {
            return Problems.NotFound($"Checkpoint {id} does not exist.");
        }
        http.Response.ContentLength = checkpoint.SizeBytes;
        return TypedResults.Stream(
            output => db.CopyCheckpointContentAsync(id, output, cancellationToken),
            "application/octet-stream",
            $"run{checkpoint.RunId}-step{checkpoint.Step}.ckpt",
            entityTag: new EntityTagHeaderValue($"\"{checkpoint.Sha256}\""));
    }

    /// <summary>Records the export and queues its job on the given (or the checkpoint's run's) queue; 202 with the export.</summary>
    public static async Task<Results<Accepted<CheckpointExportDto>, ProblemHttpResult, ValidationProblem>> ExportCheckpoint(
        long id, ExportCheckpointRequest request, ExportLifecycle exports, RunNotifier notifier, AuditLog audit, RlStudioDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var folder = request.Folder?.Trim();
        if (ModelRoots.Normalize(folder) is null)
        {
            errors.Add("folder", WorkerFolder.Problem(folder, "", [])!);
        }
        if (request.Queue is { } q && !RunRequestValidator.IsQueueName(q))
        {
            errors.Add("queue", "1–50 lowercase letters, digits, '_' or '-' (a Hangfire queue name)");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var queue = request.Queue ?? await exports.QueueOfAsync(id, cancellationToken);
        if (queue is null)
        {
            return Problems.NotFound($"Checkpoint {id} does not exist.");
        }
        if (WorkerFolder.Problem(folder, queue, await db.ModelRootsForQueueAsync(queue, cancellationToken)) is { } problem)
        {
            errors.Add("folder", problem);
            return Problems.Invalid(errors);
        }
        var outcome = await exports.QueueAsync(id, ModelRoots.Normalize(folder)!, request.Queue, cancellationToken);
        if (outcome.Kind != OutcomeKind.Ok)
        {
            return Problems.Failure<Accepted<CheckpointExportDto>, CheckpointExportDto>(outcome);
        }
        await notifier.ExportUpdatedAsync(outcome.Value!);
        await audit.RecordAsync(Caller.From(user), "export.request", "checkpoint", id,
            after: new { ExportId = outcome.Value!.Id, outcome.Value.Folder, outcome.Value.Queue }, cancellationToken: cancellationToken);
        return TypedResults.Accepted($"/api/exports/{outcome.Value!.Id}", outcome.Value);
    }

    public static async Task<Results<Ok<CheckpointExportDto>, ProblemHttpResult>> GetExport(long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.GetExportAsync(id, cancellationToken) is { } export ? TypedResults.Ok(export) : Problems.NotFound($"Export {id} does not exist.");

    /// <summary>A run's exports, newest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<CheckpointExportDto>>, ProblemHttpResult>> ListRunExports(
        long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)
            ? TypedResults.Ok(await db.ListRunExportsAsync(id, cancellationToken))
            : Problems.NotFound($"Run {id} does not exist.");
}
