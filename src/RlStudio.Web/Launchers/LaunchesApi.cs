using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RlStudio.Contracts.Launchers;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Web.Api;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Launchers;

/// <summary>
/// Ray clusters external runs are launched on (<c>/api/ray-clusters</c>: Admins register and remove them, Researchers
/// list them), and a launched run's job log (<c>GET /api/runs/{id}/logs</c>).
/// </summary>
public static partial class LaunchesApi
{
    public static IEndpointRouteBuilder MapLaunchesApi(this IEndpointRouteBuilder app)
    {
        var clusters = app.MapGroup("/api/ray-clusters").WithTags("Launchers");
        clusters.MapGet("/", ListClusters).RequireAuthorization(Policies.Researchers);
        clusters.MapPost("/", RegisterCluster).RequireAuthorization(Policies.Admins);
        clusters.MapDelete("/{id:long}", RemoveCluster).RequireAuthorization(Policies.Admins);
        app.MapGet("/api/runs/{id:long}/logs", GetLogs).WithTags("Runs").RequireAuthorization(Policies.Researchers);
        return app;
    }

    public static async Task<Ok<List<RayClusterDto>>> ListClusters(RlStudioDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.RayClusters.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new RayClusterDto(c.Id, c.Name, c.Address, c.AuthHeaderName != null, c.CreatedAt)).ToListAsync(cancellationToken));

    public static async Task<Results<Created<RayClusterDto>, ValidationProblem, ProblemHttpResult>> RegisterCluster(
        CreateRayClusterRequest request, ClaimsPrincipal user, RlStudioDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim() ?? "";
        if (!ClusterName().IsMatch(name)) errors.Add("name", "1–100 lowercase letters, digits, '-' or '_'");
        var address = request.Address?.Trim().TrimEnd('/') ?? "";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || address.Length > 500)
            errors.Add("address", "the Ray dashboard's http(s) address, e.g. http://head:8265");
        var headerName = string.IsNullOrWhiteSpace(request.AuthHeaderName) ? null : request.AuthHeaderName.Trim();
        if (headerName is not null && !HeaderName().IsMatch(headerName)) errors.Add("authHeaderName", "an HTTP header name (letters, digits, '-')");
        if (headerName is not null && (string.IsNullOrEmpty(request.AuthHeaderValue) || request.AuthHeaderValue.Length > 4000 || request.AuthHeaderValue.Any(char.IsControl)))
            errors.Add("authHeaderValue", "required with a header name: at most 4000 characters, no control characters");
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        if (await db.RayClusters.AnyAsync(c => c.Name == name, cancellationToken)) return Problems.Conflict($"A Ray cluster named '{name}' is registered already.");
        var caller = Caller.From(user);
        var cluster = new RayCluster
        {
            Name = name, Address = address, AuthHeaderName = headerName, AuthHeaderValue = headerName is null ? null : request.AuthHeaderValue,
            CreatedAt = DateTimeOffset.UtcNow, CreatedById = caller.UserId,
        };
        db.RayClusters.Add(cluster);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, "ray_cluster.create", "ray_cluster", cluster.Id, after: new { cluster.Name, cluster.Address, AuthHeader = headerName },
            cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/ray-clusters/{cluster.Id}", new RayClusterDto(cluster.Id, cluster.Name, cluster.Address, headerName is not null, cluster.CreatedAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveCluster(long id, ClaimsPrincipal user, RlStudioDbContext db, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var cluster = await db.RayClusters.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cluster is null) return Problems.NotFound($"Ray cluster {id} does not exist.");
        var launched = await db.Runs.AsNoTracking().Where(r => r.Launch != null && !RunStatusExtensions.Terminal.Contains(r.Status))
            .Select(r => new { r.Id, r.Launch }).ToListAsync(cancellationToken);
        var using_ = launched.Where(r => r.Launch!.ClusterId == id).Select(r => r.Id).ToList();
        if (using_.Count > 0) return Problems.Conflict($"Ray cluster '{cluster.Name}' runs jobs of {RunIdList.Describe(using_)}; remove it once they end.");
        db.RayClusters.Remove(cluster);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(Caller.From(user), "ray_cluster.delete", "ray_cluster", id, before: new { cluster.Name, cluster.Address }, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The end of a launched run's job log, read from its cluster now.</summary>
    public static async Task<Results<Ok<RunLogsDto>, ProblemHttpResult>> GetLogs(long id, RlStudioDbContext db, IJobLauncher launcher,
        IOptions<LauncherOptions> options, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Launch }).SingleOrDefaultAsync(cancellationToken);
        if (run is null) return Problems.NotFound($"Run {id} does not exist.");
        if (run.Launch is not { SubmissionId: { } submissionId } launch) return Problems.Conflict($"Run {id} has no launched job (yet).");
        var cluster = await db.RayClusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == launch.ClusterId, cancellationToken);
        if (cluster is null) return Problems.Conflict($"Run {id}'s Ray cluster is no longer registered.");
        try
        {
            var logs = await launcher.GetLogsAsync(ExternalLaunchMonitor.Address(cluster), submissionId, cancellationToken);
            var tail = options.Value.LogTailCharacters;
            return TypedResults.Ok(new RunLogsDto(submissionId, logs.Length <= tail ? logs : logs[^tail..], logs.Length > tail));
        }
        catch (Exception e) when (e is JobLauncherException or HttpRequestException)
        {
            return TypedResults.Problem($"Ray cluster '{cluster.Name}' did not give the logs: {e.Message}", statusCode: StatusCodes.Status502BadGateway, title: "Bad gateway");
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,100}$")]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[A-Za-z0-9-]{1,100}$")]
    private static partial Regex HeaderName();
}

/// <summary>The end of a launched job's log; <see cref="Truncated"/> when there was more before it.</summary>
public sealed record RunLogsDto(string SubmissionId, string Logs, bool Truncated);
