namespace RlStudio.Contracts.Workers;

/// <summary>
/// A worker node announcing itself (sent at start and periodically). <see cref="MemoryBytes"/>: memory a run can
/// train in — the GPU's when training on one, else the host's. <see cref="ModelRoots"/>: the folders it reads model folders
/// from and writes exports to (see <see cref="Workers.ModelRoots"/>).
/// </summary>
public sealed record WorkerHeartbeat(string Name, string Device, string? GpuName, long? GpuMemoryBytes, IReadOnlyList<string> Queues, long? MemoryBytes = null,
    IReadOnlyList<string>? ModelRoots = null);
