namespace RlStudio.Contracts.Workers;

/// <summary>
/// A worker node announcing itself (sent at start and periodically). <see cref="MemoryBytes"/>: memory a run can
/// train in — the GPU's when training on one, else the host's.
/// </summary>
public sealed record WorkerHeartbeat(string Name, string Device, string? GpuName, long? GpuMemoryBytes, IReadOnlyList<string> Queues, long? MemoryBytes = null);
