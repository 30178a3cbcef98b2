using TorchSharp;

namespace RlStudio.Worker.Hosting;

/// <summary>What this node trains on, as the workers list shows it; <see cref="MemoryBytes"/> is what a run can use.</summary>
public sealed record DeviceDescription(string Device, string? GpuName, long? GpuMemoryBytes, long? MemoryBytes);

public static class DeviceProbe
{
    /// <summary>
    /// CUDA when available, named and sized by <see cref="NvidiaSmi"/> (TorchSharp 0.107 reports neither; unknown
    /// without the tool) — a run trains on the first GPU, so its memory is what a run can use; else the CPU with the
    /// memory this process may use (container limits included).
    /// </summary>
    public static DeviceDescription Describe()
    {
        if (!torch.cuda.is_available())
            return new DeviceDescription($"cpu ×{Environment.ProcessorCount}", null, null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        var gpu = NvidiaSmi.Query().FirstOrDefault();
        return new DeviceDescription($"cuda ×{torch.cuda.device_count()}", gpu?.Name, gpu?.MemoryBytes, gpu?.MemoryBytes);
    }
}
