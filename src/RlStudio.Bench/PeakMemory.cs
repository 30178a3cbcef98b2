namespace RlStudio.Bench;

/// <summary>Process memory from /proc/self/status (Linux): current and peak resident set, resettable peak.</summary>
public static class PeakMemory
{
    public static bool Supported => File.Exists("/proc/self/status");

    /// <summary>Resets the peak (VmHWM) to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static double PeakMegabytes() => ReadKilobytes("VmHWM:") / 1024.0;

    public static double CurrentMegabytes() => ReadKilobytes("VmRSS:") / 1024.0;

    private static long ReadKilobytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }
}
