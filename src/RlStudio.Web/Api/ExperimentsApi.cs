using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Experiments;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;

namespace RlStudio.Web.Api;

/// <summary><c>GET /api/experiments</c>: every experiment with its run counts, best reward and last activity, newest activity first.</summary>
public static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/experiments", ListExperiments).WithTags("Experiments");
        return app;
    }

    public static async Task<Ok<List<ExperimentDto>>> ListExperiments(RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var terminal = RunStatusExtensions.Terminal;
        var experiments = await db.Experiments.AsNoTracking()
            .Where(e => e.DeletedAt == null) // deleted through the MLflow API
            .Select(e => new ExperimentDto(
                e.Id,
                e.Name,
                e.CreatedAt,
                e.Runs.Count,
                e.Runs.Count(r => !terminal.Contains(r.Status)),
                e.Runs.Count(r => r.Status == RunStatus.Succeeded),
                e.Runs.Count(r => r.Status == RunStatus.Failed),
                db.LatestMetrics.Where(m => m.Key == MetricPoint.RewardMean && e.Runs.Select(r => r.Id).Contains(m.RunId)).Max(m => (double?)m.Value),
                e.Runs.Max(r => (DateTimeOffset?)r.CreatedAt)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(experiments.OrderByDescending(e => e.LastRunAt ?? e.CreatedAt).ToList());
    }
}
