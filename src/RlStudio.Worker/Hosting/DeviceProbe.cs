using TorchSharp;

namespace RlStudio.Worker.Hosting;

/// <summary>What this node trains on, as the workers list shows it.</summary>
public sealed record DeviceDescription(string Device, string? GpuName, long? GpuMemoryBytes);

public static class DeviceProbe
{
    public static DeviceDescription Describe() =>
        torch.cuda.is_available()
            ? new DeviceDescription($"cuda ×{torch.cuda.device_count()}", null, null)
            : new DeviceDescription($"cpu ×{Environment.ProcessorCount}", null, null);
}
