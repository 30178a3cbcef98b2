using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Workers;

namespace RlStudio.Data.Storage;

/// <summary>Worker nodes as their heartbeats describe them.</summary>
public static class WorkerNodeStore
{
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
