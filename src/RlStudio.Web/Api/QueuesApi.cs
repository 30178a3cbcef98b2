using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Api;

/// <summary>The run queues: every queue a run waits on or an online worker serves, with its waiting runs and its workers.</summary>
public static class QueuesApi
{
    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/queues", ListQueues).WithTags("Workers");
        return app;
    }

    public static async Task<Ok<List<QueueDto>>> ListQueues(RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var waiting = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Queued && r.Algorithm != Algorithm.External)
            .GroupBy(r => r.Queue)
            .Select(g => new { Queue = g.Key, Count = g.Count(), Oldest = g.Min(r => r.CreatedAt) })
            .ToListAsync(cancellationToken);
        var workers = await db.Online().Select(w => new { w.Name, w.Queues }).ToListAsync(cancellationToken);
        var names = waiting.Select(w => w.Queue).Concat(workers.SelectMany(w => w.Queues)).Distinct().Order(StringComparer.Ordinal);
        return TypedResults.Ok(names.Select(name =>
        {
            var queued = waiting.FirstOrDefault(w => w.Queue == name);
            return new QueueDto(name, queued?.Count ?? 0, queued?.Oldest,
                workers.Where(w => w.Queues.Contains(name)).Select(w => w.Name).Order(StringComparer.Ordinal).ToList());
        }).ToList());
    }
}
