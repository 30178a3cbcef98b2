using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Api;

/// <summary><c>GET /api/checkpoints/{id}/content</c>: a checkpoint's bytes, streamed chunk by chunk.</summary>
public static class CheckpointsApi
{
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/checkpoints/{id:long}/content", GetCheckpointContent).WithTags("Checkpoints");
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
}
