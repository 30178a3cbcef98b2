namespace RlStudio.Contracts.Workers;

/// <summary>A worker node announcing itself (sent at start and periodically).</summary>
public sealed record WorkerHeartbeat(string Name, string Device, string? GpuName, long? GpuMemoryBytes, IReadOnlyList<string> Queues);
