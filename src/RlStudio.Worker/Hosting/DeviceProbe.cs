using TorchSharp;

namespace RlStudio.Worker.Hosting;

/// <summary>What this node trains on, as the workers list shows it; <see cref="MemoryBytes"/> is what a run can use.</summary>
public sealed record DeviceDescription(string Device, string? GpuName, long? GpuMemoryBytes, long? MemoryBytes);

public static class DeviceProbe
{
    /// <summary>
    /// CUDA when available (TorchSharp 0.107 reports no device name or memory; those stay unknown), else the CPU with
    /// the memory this process may use (container limits included).
    /// </summary>
    public static DeviceDescription Describe() =>
        torch.cuda.is_available()
            ? new DeviceDescription($"cuda ×{torch.cuda.device_count()}", null, null, null)
            : new DeviceDescription($"cpu ×{Environment.ProcessorCount}", null, null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
}
