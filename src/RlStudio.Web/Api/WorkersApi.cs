using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Api;

/// <summary>The worker nodes that have announced themselves: device, queues, liveness and what they train.</summary>
public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workers", ListWorkers).WithTags("Workers");
        return app;
    }

    public static async Task<Ok<List<WorkerNodeDto>>> ListWorkers(RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var nodes = await db.WorkerNodes.AsNoTracking().OrderByDescending(w => w.HeartbeatAt).ToListAsync(cancellationToken);
        var active = await db.Runs.AsNoTracking()
            .Where(r => RunStatusExtensions.Active.Contains(r.Status) && r.Worker != null)
            .Select(r => new { r.Id, r.Worker })
            .ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return TypedResults.Ok(nodes.Select(w => new WorkerNodeDto(
            w.Name, w.Device, w.GpuName, w.GpuMemoryBytes, w.Queues, w.FirstSeenAt, w.HeartbeatAt,
            now - w.HeartbeatAt < WorkerNodeStore.OnlineWindow,
            active.Where(r => r.Worker == w.Name).Select(r => r.Id).ToList(),
            w.MemoryBytes,
            w.ModelRoots)).ToList());
    }
}
