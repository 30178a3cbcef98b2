namespace RlStudio.Data.Entities;

/// <summary>A worker process that announced itself by heartbeat.</summary>
public sealed class WorkerNode
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Device { get; set; }
    public string? GpuName { get; set; }
    public long? GpuMemoryBytes { get; set; }
    /// <summary>Memory a run can train in on this node (GPU memory, or host memory on CPU nodes).</summary>
    public long? MemoryBytes { get; set; }
    public List<string> Queues { get; set; } = [];
    /// <summary>The folders it reads model folders from and writes exports to (its <c>RlStudio:ModelRoots</c>).</summary>
    public List<string> ModelRoots { get; set; } = [];
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
}
