using Microsoft.EntityFrameworkCore;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>GET /api/checkpoints/{id}/content</c>: a checkpoint's bytes, streamed chunk by chunk;
/// <c>POST /api/checkpoints/{id}/export</c>: queue writing it as a Hugging Face folder on a worker node.
/// </summary>
public static class CheckpointsApi
{
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/checkpoints/{id:long}/content", GetCheckpointContent).WithTags("Checkpoints");
        app.MapPost("/api/checkpoints/{id:long}/export", ExportCheckpoint).WithTags("Checkpoints");
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

    /// <summary>Queues an export job on the given (or the checkpoint's run's) queue; 202 with the job id.</summary>
    public static async Task<Results<Accepted<CheckpointExportDto>, ProblemHttpResult, ValidationProblem>> ExportCheckpoint(
        long id, ExportCheckpointRequest request, RlStudioDbContext db, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var folder = request.Folder?.Trim();
        if (!WorkerFolderPath.IsValid(folder))
        {
            errors.Add("folder", $"required: {WorkerFolderPath.Rule}");
        }
        if (request.Queue is { } q && !RunRequestValidator.IsQueueName(q))
        {
            errors.Add("queue", "1–50 lowercase letters, digits, '_' or '-' (a Hangfire queue name)");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (await db.GetCheckpointAsync(id, cancellationToken) is not { } checkpoint)
        {
            return Problems.NotFound($"Checkpoint {id} does not exist.");
        }
        var queue = request.Queue ?? await db.Runs.Where(r => r.Id == checkpoint.RunId).Select(r => r.Queue).SingleAsync(cancellationToken);
        var jobId = jobs.Enqueue<IExportCheckpointJob>(queue, j => j.ExportAsync(id, folder!, CancellationToken.None));
        return TypedResults.Accepted($"/hangfire/jobs/details/{jobId}", new CheckpointExportDto(id, folder!, queue, jobId));
    }
}
