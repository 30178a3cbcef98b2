using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RlStudio.Worker.Training;

/// <summary>
/// Runs one run's training in a child process of this worker node (<c>RlStudio.Worker train RUN_ID</c>), so a
/// native crash or an out-of-memory kill in libtorch ends that process, not the node's Hangfire server. The child
/// stops by itself if this process dies (its parent watchdog); on cancellation it gets SIGTERM, then SIGKILL.
/// </summary>
public static class TrainingProcess
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>The child's exit code and the last lines it wrote to stderr.</summary>
    public sealed record Outcome(int ExitCode, IReadOnlyList<string> LastErrors);

    public static async Task<Outcome> RunAsync(long runId, string workerName, ILogger logger, CancellationToken cancellationToken)
    {
        var start = StartInfo(runId, workerName);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the training process.");
        var errors = new Queue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logger.LogInformation("[run {RunId}] {Line}", runId, e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            logger.LogWarning("[run {RunId}] {Line}", runId, e.Data);
            lock (errors)
            {
                errors.Enqueue(e.Data);
                if (errors.Count > 5) errors.Dequeue();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("Run {RunId} training in process {Pid}", runId, process.Id);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, logger);
            throw;
        }
        process.WaitForExit(); // drains the redirected output
        lock (errors) return new Outcome(process.ExitCode, errors.ToArray());
    }

    private static ProcessStartInfo StartInfo(long runId, string workerName)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (viaDotnet) start.ArgumentList.Add(typeof(TrainingProcess).Assembly.Location);
        foreach (var argument in new[] { "train", runId.ToString(), $"--RlStudio:WorkerName={workerName}" }) start.ArgumentList.Add(argument);
        start.Environment["RlStudio__ParentProcessId"] = Environment.ProcessId.ToString();
        return start;
    }

    private static async Task StopAsync(Process process, ILogger logger)
    {
        if (process.HasExited) return;
        if (OperatingSystem.IsWindows() || kill(process.Id, SigTerm) != 0) process.Kill(entireProcessTree: true);
        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Training process {Pid} did not stop within {Grace}; killing it", process.Id, GracePeriod);
            process.Kill(entireProcessTree: true);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
