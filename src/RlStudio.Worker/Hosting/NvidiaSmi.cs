using System.Diagnostics;
using System.Globalization;

namespace RlStudio.Worker.Hosting;

/// <summary>One GPU as <c>nvidia-smi</c> lists it.</summary>
public sealed record GpuInfo(string Name, long MemoryBytes);

/// <summary>
/// GPU names and memory from <c>nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits</c>, since
/// TorchSharp 0.107 reports neither. Empty where the tool is missing or fails.
/// </summary>
public static class NvidiaSmi
{
    public static IReadOnlyList<GpuInfo> Query()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return [];
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return [];
            return Parse(output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // not installed
        }
    }

    /// <summary>Lines of "name, MiB" (e.g. "NVIDIA H100 80GB HBM3, 81559"); malformed lines are skipped.</summary>
    public static IReadOnlyList<GpuInfo> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2 && fields[0].Length > 0
                             && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(fields => new GpuInfo(fields[0], long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024 * 1024))
            .ToArray();
}
