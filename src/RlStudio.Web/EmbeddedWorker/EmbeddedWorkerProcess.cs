using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using RlStudio.Web.Auth;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.EmbeddedWorker;

/// <summary>
/// Runs the worker program as a child process in the all-in-one mode: started once the web host
/// listens (the worker reports to its URL), restarted if it exits on its own, stopped with SIGTERM
/// (then killed after a grace period) when the web host stops. A native crash in training cannot take
/// the web host down. Each start gives the worker a fresh worker key (the node's earlier keys are revoked).
/// </summary>
public sealed class EmbeddedWorkerProcess(
    IOptions<EmbeddedWorkerOptions> options,
    IOptions<RlStudioOptions> studio,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    ServerUrls urls,
    IWebHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<EmbeddedWorkerProcess> logger) : BackgroundService
{
    /// <summary>How long the worker may take to stop: its trainers checkpoint their step first (the worker allows them 50 s).</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string webUrl;
        try
        {
            webUrl = (await urls.WaitForBaseAddressAsync(stoppingToken)).ToString().TrimEnd('/');
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var dll = await WorkerProgramLocator.LocateAsync(options.Value.WorkerPath, environment.ContentRootPath, logger, stoppingToken);
        Process? current = null;
        // When this host is asked to stop, the worker stops first — while this host still serves its API and the database is
        // up — so its trainers can hand over a checkpoint of the step they are on (the stopping callbacks run before any
        // service or the server stops).
        using var stopping = lifetime.ApplicationStopping.Register(() =>
        {
            if (Volatile.Read(ref current) is { } running) StopAsync(running).GetAwaiter().GetResult();
        });

        while (!stoppingToken.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            using var process = Start(dll, webUrl, await IssueKeyAsync(stoppingToken));
            Volatile.Write(ref current, process);
            logger.LogInformation("Embedded worker started (pid {Pid}), reporting to {WebUrl}", process.Id, webUrl);
            try
            {
                await process.WaitForExitAsync(stoppingToken);
                if (lifetime.ApplicationStopping.IsCancellationRequested) break;
                logger.LogWarning("Embedded worker exited with code {ExitCode}; restarting in {Delay}", process.ExitCode, options.Value.RestartDelay);
                await Task.Delay(options.Value.RestartDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process);
            }
        }
    }

    private static string WorkerName => $"embedded-{Environment.MachineName}";

    /// <summary>A worker key for the embedded node, owned by the first admin.</summary>
    private async Task<string> IssueKeyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().FirstAdminAsync();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>().ForWorkerAsync(admin.Id, WorkerName, null, cancellationToken);
        return key.Key;
    }

    private Process Start(string dll, string webUrl, string workerKey)
    {
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ConnectionStrings__RlStudio"] = configuration.GetConnectionString("RlStudio");
        info.Environment["RlStudio__WebUrl"] = webUrl;
        info.Environment["RlStudio__WorkerName"] = WorkerName;
        info.Environment["RlStudio__ApiKey"] = workerKey;
        info.Environment["RlStudio__ParentProcessId"] = Environment.ProcessId.ToString();
        var queues = options.Value.Queues.Length > 0 ? options.Value.Queues.Distinct().ToArray() : EmbeddedWorkerOptions.DefaultQueues;
        for (var i = 0; i < queues.Length; i++) info.Environment[$"RlStudio__Queues__{i}"] = queues[i];
        var roots = options.Value.ModelRoots.Length > 0
            ? options.Value.ModelRoots
            : [Path.Combine(DatabaseSetup.ResolveDataDir(studio.Value.DataDir, environment.ContentRootPath), "models")];
        for (var i = 0; i < roots.Length; i++) info.Environment[$"RlStudio__ModelRoots__{i}"] = roots[i];
        if (options.Value.CancelGrace is { } grace) info.Environment["RlStudio__CancelGrace"] = grace.ToString("c");
        if (options.Value.RunHeartbeatInterval is { } beat) info.Environment["RlStudio__RunHeartbeatInterval"] = beat.ToString("c");
        if (options.Value.CancelCheckInterval is { } check) info.Environment["RlStudio__CancelCheckInterval"] = check.ToString("c");
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        info.Environment["DOTNET_ENVIRONMENT"] = environment.EnvironmentName;

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the embedded worker.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logger.LogInformation("[worker] {Line}", e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logger.LogWarning("[worker] {Line}", e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM first so the worker's Hangfire server shuts down cleanly; SIGKILL after the grace period.</summary>
    private async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        logger.LogInformation("Stopping the embedded worker (pid {Pid})", process.Id);
        if (OperatingSystem.IsWindows() || SendSignal(process.Id, SigTerm) != 0) process.Kill(entireProcessTree: true);
        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("The embedded worker did not stop within {Grace}; killing it", GracePeriod);
            process.Kill(entireProcessTree: true);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
