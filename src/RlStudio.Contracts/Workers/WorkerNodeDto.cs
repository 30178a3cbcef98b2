namespace RlStudio.Contracts.Workers;

/// <summary>
/// A worker node as <c>GET /api/workers</c> lists it. <see cref="Online"/>: it announced itself within the last
/// minute (nodes send a heartbeat every few seconds); <see cref="ActiveRuns"/>: runs it is training now.
/// </summary>
public sealed record WorkerNodeDto(
    string Name,
    string Device,
    string? GpuName,
    long? GpuMemoryBytes,
    IReadOnlyList<string> Queues,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset HeartbeatAt,
    bool Online,
    IReadOnlyList<long> ActiveRuns,
    long? MemoryBytes = null,
    IReadOnlyList<string>? ModelRoots = null);
