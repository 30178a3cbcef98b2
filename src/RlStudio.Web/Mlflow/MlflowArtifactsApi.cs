using System.Globalization;
using System.Security.Claims;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Data.Tracking;
using Microsoft.Extensions.Options;
using RlStudio.Web.Auth;
using RlStudio.Web.Limits;
using RlStudio.Web.Live;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// MLflow's artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts/…</c>), where a client puts what <c>log_text</c>,
/// <c>log_dict</c> and <c>log_table</c> write when the run's artifact URI is <c>mlflow-artifacts:/{experiment}/{run}/artifacts</c>,
/// and the tracking API's <c>artifacts/list</c>. Files live in PostgreSQL, at most <see cref="MlflowLimits.MaxArtifactBytes"/>
/// each and <see cref="MlflowLimits.MaxRunArtifactBytes"/> per run; a table of prompts, responses and scores also becomes
/// the run's rollouts (<see cref="MlflowTableRollouts"/>).
/// </summary>
public static class MlflowArtifactsApi
{
    public const string Prefix = "/api/2.0/mlflow-artifacts/artifacts";

    public static IEndpointRouteBuilder MapMlflowArtifactsApi(this IEndpointRouteBuilder app)
    {
        var api = MlflowRoutes.Group(app, Prefix);
        api.MapPut("/{**path}", Put).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MlflowLimits.MaxArtifactBytes));
        api.MapGet("/{**path}", Get);
        api.MapGet("/", (string? path, RlStudioDbContext db, CancellationToken c) => ListAsync(path ?? "", db, c));
        api.MapDelete("/{**path}", Delete);
        return app;
    }

    /// <summary><c>GET /api/2.0/mlflow/artifacts/list?run_id=&amp;path=</c>: the run's files and folders under a path.</summary>
    public static async Task<IResult> ListForRun(string? run_id, string? path, MlflowTracking tracking, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var run = await tracking.GetRunAsync(run_id, cancellationToken);
        var folder = Relative(path ?? "", allowEmpty: true);
        var entries = await db.ListArtifactsAsync(long.Parse(run.Info.RunId, CultureInfo.InvariantCulture), folder, cancellationToken);
        return MlflowJson.Ok(new { root_uri = run.Info.ArtifactUri, files = Files(entries, "") });
    }

    private static async Task<IResult> Put(string path, HttpRequest request, ClaimsPrincipal user, MlflowTracking tracking, RunNotifier notifier,
        RlStudioDbContext db, IOptions<LimitOptions> limits, CancellationToken cancellationToken)
    {
        var (runId, file) = Parse(path, requireFile: true);
        var run = await tracking.WritableRunAsync(runId.ToString(CultureInfo.InvariantCulture), Caller.From(user), cancellationToken);
        var content = await ReadBodyAsync(request, cancellationToken);
        if (!await db.PutArtifactAsync(run.Id, file, content, MlflowLimits.MaxRunArtifactBytes, cancellationToken))
            throw MlflowException.Invalid($"Run {run.Id}'s artifacts would take more than {MlflowLimits.MaxRunArtifactBytes / (1024 * 1024)} MiB.");
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && MlflowTableRollouts.TryRead(content, run.Step) is { } samples)
        {
            var stored = await db.AppendRolloutsAsync(run.Id, samples, cancellationToken, RolloutPlacement.Append, limits.Value.RolloutsKeptPerStep);
            await notifier.RolloutsAppendedAsync(run.Id, stored);
        }
        return MlflowJson.Ok(new { });
    }

    private static async Task<IResult> Get(string path, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var (runId, file) = Parse(path, requireFile: true);
        var content = await db.ReadArtifactAsync(runId, file, cancellationToken)
                      ?? throw MlflowException.NotFound($"Artifact '{file}' of run {runId} does not exist.");
        return Results.File(content, "application/octet-stream", Path.GetFileName(file));
    }

    private static async Task<IResult> ListAsync(string path, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var (runId, folder) = Parse(path, requireFile: false);
        var entries = await db.ListArtifactsAsync(runId, folder, cancellationToken);
        return MlflowJson.Ok(new { files = Files(entries, folder) });
    }

    private static async Task<IResult> Delete(string path, ClaimsPrincipal user, MlflowTracking tracking, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var (runId, file) = Parse(path, requireFile: true);
        await tracking.WritableRunAsync(runId.ToString(CultureInfo.InvariantCulture), Caller.From(user), cancellationToken);
        if (await db.DeleteArtifactsAsync(runId, file, cancellationToken) == 0)
            throw MlflowException.NotFound($"Artifact '{file}' of run {runId} does not exist.");
        return MlflowJson.Ok(new { });
    }

    /// <summary>Listed entries relative to the folder listed, as MLflow lists them.</summary>
    private static List<object> Files(IEnumerable<ArtifactStore.Entry> entries, string folder)
    {
        var prefix = folder.Length == 0 ? "" : folder.TrimEnd('/') + "/";
        return entries.Select(e => e.IsDir
            ? (object)new { path = e.Path[prefix.Length..], is_dir = true }
            : new { path = e.Path[prefix.Length..], is_dir = false, file_size = e.Size }).ToList();
    }

    /// <summary>"{experiment}/{run}/artifacts[/{file}]" → the run and the file's path in its artifact root.</summary>
    private static (long RunId, string File) Parse(string path, bool requireFile)
    {
        var parts = path.Split('/', 4);
        if (parts.Length < 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var runId) || parts[2] != "artifacts")
            throw MlflowException.Invalid($"'{path}' is not an artifact path of a run ({{experiment_id}}/{{run_id}}/artifacts/…).");
        var file = Relative(parts.Length == 4 ? parts[3] : "", allowEmpty: !requireFile);
        return (runId, file);
    }

    private static string Relative(string path, bool allowEmpty)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0 && !allowEmpty) throw MlflowException.Invalid("An artifact path names a file.");
        if (trimmed.Length > 1000 || trimmed.Contains('\\') || trimmed.Any(char.IsControl) || trimmed.Split('/').Any(p => p is "." or ".." || p.Length == 0 && trimmed.Length > 0))
            throw MlflowException.Invalid($"Invalid artifact path '{path}': relative, '/'-separated, no '.' or '..' parts, at most 1000 characters.");
        return trimmed;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MlflowLimits.MaxArtifactBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MlflowLimits.MaxArtifactBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static MlflowException TooLarge() =>
        MlflowException.Invalid($"An artifact file may be at most {MlflowLimits.MaxArtifactBytes / (1024 * 1024)} MiB.");
}
