using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RlStudio.Worker.Training;

/// <summary>
/// Runs one run's training in a child process of this worker node (<c>RlStudio.Worker train RUN_ID</c>), so a
/// native crash or an out-of-memory kill in libtorch ends that process, not the node's Hangfire server. The child
/// stops by itself if this process dies (its parent watchdog); on cancellation it gets SIGTERM, then SIGKILL. While it
/// runs, <c>stopRequested</c> is asked every <c>checkEvery</c>: a child still running <c>grace</c> after the first yes (a
/// run cancelled while a step never ends) is killed.
/// </summary>
public static class TrainingProcess
{
    /// <summary>How long a stopped trainer may take to finish its step and deliver its shutdown checkpoint (it waits 30 s for the host).</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(40);

    /// <summary>The child's exit code, the last lines it wrote to stderr, and whether it was killed for ignoring a cancel.</summary>
    public sealed record Outcome(int ExitCode, IReadOnlyList<string> LastErrors, bool KilledAfterCancel = false);

    public static async Task<Outcome> RunAsync(long runId, string workerName, ILogger logger, CancellationToken cancellationToken,
        Func<CancellationToken, Task<bool>>? stopRequested = null, TimeSpan checkEvery = default, TimeSpan grace = default)
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
        var killed = false;
        try
        {
            killed = await SuperviseAsync(process, runId, logger, stopRequested, checkEvery, grace, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, logger);
            throw;
        }
        process.WaitForExit(); // drains the redirected output
        lock (errors) return new Outcome(process.ExitCode, errors.ToArray(), killed);
    }

    /// <summary>Waits for the child; stops it when a requested stop has gone unheeded for <paramref name="grace"/>. True when it had to.</summary>
    private static async Task<bool> SuperviseAsync(Process process, long runId, ILogger logger, Func<CancellationToken, Task<bool>>? stopRequested,
        TimeSpan checkEvery, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (stopRequested is null)
        {
            await process.WaitForExitAsync(cancellationToken);
            return false;
        }
        DateTimeOffset? requestedAt = null;
        var exited = process.WaitForExitAsync(cancellationToken);
        while (true)
        {
            await Task.WhenAny(exited, Task.Delay(checkEvery, cancellationToken));
            if (exited.IsCompleted)
            {
                await exited;
                return false;
            }
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (requestedAt is null && await stopRequested(cancellationToken)) requestedAt = DateTimeOffset.UtcNow;
            }
            catch (Exception e) when (e is HttpRequestException or Ingest.IngestException)
            {
                continue; // the web host is away; ask again next time
            }
            if (requestedAt is { } since && DateTimeOffset.UtcNow - since >= grace)
            {
                // It had its chance to stop at a step boundary: a polite signal would only wait for the same stuck step.
                logger.LogWarning("Run {RunId}: the trainer ignored the cancel for {Grace}; killing process {Pid}", runId, grace, process.Id);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                return true;
            }
        }
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
