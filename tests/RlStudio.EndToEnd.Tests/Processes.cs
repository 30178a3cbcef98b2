using System.Diagnostics;

namespace RlStudio.EndToEnd.Tests;

/// <summary>Kills the platform's processes the way a crash would (SIGKILL), found through /proc.</summary>
internal static class Processes
{
    /// <summary>SIGKILL the worker node: the worker child of this test process (the web host runs in-process and started it).</summary>
    public static void KillWorker()
    {
        var me = Environment.ProcessId;
        Kill(pid => ParentOf(pid) == me && CommandLine(pid).Contains("RlStudio.Worker.dll", StringComparison.Ordinal));
    }

    /// <summary>SIGKILL the one process that <paramref name="matches"/>.</summary>
    public static void Kill(Func<int, bool> matches) => Process.GetProcessById(Assert.Single(Find(matches))).Kill(entireProcessTree: false);

    /// <summary>The training processes of a run (a worker's child, <c>RlStudio.Worker train RUN_ID</c>).</summary>
    public static IReadOnlyList<int> Trainers(long runId) => Find(pid => CommandLine(pid).Contains($"RlStudio.Worker.dll train {runId} ", StringComparison.Ordinal));

    private static List<int> Find(Func<int, bool> matches) => Directory.GetDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
        .Where(pid => pid > 0 && matches(pid))
        .ToList();

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
