using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Workers;

namespace RlStudio.Data.Storage;

/// <summary>Worker nodes as their heartbeats describe them.</summary>
public static class WorkerNodeStore
{
    /// <summary>A node whose last heartbeat is older than this is offline (shown so, and serves no queue).</summary>
    public static readonly TimeSpan OnlineWindow = TimeSpan.FromMinutes(1);

    /// <summary>The nodes heard from within <see cref="OnlineWindow"/>.</summary>
    public static IQueryable<Entities.WorkerNode> Online(this RlStudioDbContext db)
    {
        var cutoff = DateTimeOffset.UtcNow - OnlineWindow;
        return db.WorkerNodes.AsNoTracking().Where(w => w.HeartbeatAt > cutoff);
    }

    /// <summary>The queues some online node serves.</summary>
    public static async Task<HashSet<string>> ServedQueuesAsync(this RlStudioDbContext db, CancellationToken cancellationToken) =>
        [.. (await db.Online().Select(w => w.Queues).ToListAsync(cancellationToken)).SelectMany(q => q)];

    /// <summary>Records a heartbeat: the node's row is created on its first and updated on every later one.</summary>
    public static Task UpsertHeartbeatAsync(this RlStudioDbContext db, WorkerHeartbeat heartbeat, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO worker_nodes (name, device, gpu_name, gpu_memory_bytes, memory_bytes, queues, model_roots, first_seen_at, heartbeat_at)
            VALUES (@name, @device, @gpu, @memory, @trainable, @queues, @roots, now(), now())
            ON CONFLICT (name) DO UPDATE SET device = excluded.device, gpu_name = excluded.gpu_name,
                gpu_memory_bytes = excluded.gpu_memory_bytes, memory_bytes = excluded.memory_bytes,
                queues = excluded.queues, model_roots = excluded.model_roots, heartbeat_at = now()
            """,
            [
                new NpgsqlParameter("name", heartbeat.Name),
                new NpgsqlParameter("device", heartbeat.Device ?? "cpu"),
                new NpgsqlParameter("gpu", (object?)heartbeat.GpuName ?? DBNull.Value),
                new NpgsqlParameter("memory", (object?)heartbeat.GpuMemoryBytes ?? DBNull.Value),
                new NpgsqlParameter("trainable", (object?)heartbeat.MemoryBytes ?? DBNull.Value),
                new NpgsqlParameter("queues", (heartbeat.Queues ?? []).ToArray()),
                new NpgsqlParameter("roots", (heartbeat.ModelRoots ?? []).Select(ModelRoots.Normalize).OfType<string>().Distinct().ToArray()),
            ],
            cancellationToken);

    /// <summary>The model roots of every node that has announced it serves <paramref name="queue"/>.</summary>
    public static async Task<IReadOnlyList<string>> ModelRootsForQueueAsync(this RlStudioDbContext db, string queue, CancellationToken cancellationToken)
    {
        var roots = await db.WorkerNodes.AsNoTracking().Where(w => w.Queues.Contains(queue)).Select(w => w.ModelRoots).ToListAsync(cancellationToken);
        return roots.SelectMany(r => r).Distinct().Order().ToList();
    }
}
