using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Accounts;
using RlStudio.Data.Entities;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;

namespace RlStudio.Web.Launchers;

/// <summary>
/// Launches external runs and follows their jobs, every <see cref="LauncherOptions.PollInterval"/>:
/// <list type="bullet">
/// <item>a queued launched run is submitted to its cluster with a run-scoped key and the MLflow variables
/// (<c>MLFLOW_TRACKING_URI</c>, <c>MLFLOW_TRACKING_TOKEN</c>, <c>MLFLOW_RUN_ID</c>, <c>MLFLOW_EXPERIMENT_ID</c>) in its
/// runtime_env, so the job reports into this run; a refusal fails the run with the cluster's answer;</item>
/// <item>a submitted run follows its job: PENDING → Starting, RUNNING → Running, SUCCEEDED, FAILED (with the job's
/// message), STOPPED → Cancelled; a cancel request stops the job;</item>
/// <item>a finished run's key is revoked.</item>
/// </list>
/// </summary>
public sealed class ExternalLaunchMonitor(IServiceScopeFactory scopes, IOptions<LauncherOptions> options, IServer server, ILogger<ExternalLaunchMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Following launched runs failed; trying again");
            }
        }
    }

    /// <summary>One pass at a time (here, and across web hosts: <see cref="Hosting.SingleHostLock"/>): two passes must never both submit the same queued run.</summary>
    private readonly SemaphoreSlim _sweeping = new(1, 1);

    /// <summary>One pass over launched runs: submit the queued, follow the submitted, revoke finished runs' keys.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await _sweeping.WaitAsync(cancellationToken);
        try
        {
            await SweepOnceAsync(cancellationToken);
        }
        finally
        {
            _sweeping.Release();
        }
    }

    private async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RlStudioDbContext>();
        await Hosting.SingleHostLock.TryRunAsync(db, nameof(ExternalLaunchMonitor), () => SweepLockedAsync(scope, db, cancellationToken), cancellationToken);
    }

    private async Task SweepLockedAsync(AsyncServiceScope scope, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var launcher = scope.ServiceProvider.GetRequiredService<IJobLauncher>();
        var notifier = scope.ServiceProvider.GetRequiredService<RunNotifier>();
        var active = await db.Runs.AsNoTracking()
            .Where(r => r.Algorithm == Algorithm.External && r.Launch != null && !RunStatusExtensions.Terminal.Contains(r.Status))
            .Select(r => new { r.Id, r.Status, r.Launch, r.ExperimentId, r.CreatedById }).ToListAsync(cancellationToken);
        foreach (var run in active)
        {
            var cluster = await db.RayClusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == run.Launch!.ClusterId, cancellationToken);
            var changed = cluster is null
                ? await FinishAsync(db, run.Id, RunStatus.Failed, "its Ray cluster is no longer registered", run.Launch!, cancellationToken)
                : run.Launch!.SubmissionId is null
                    ? await SubmitAsync(db, scope.ServiceProvider, launcher, Address(cluster), run.Id, run.Status, run.ExperimentId, run.CreatedById, run.Launch, cancellationToken)
                    : await FollowAsync(db, launcher, Address(cluster), run.Id, run.Status, run.Launch, cancellationToken);
            if (changed) await notifier.RunUpdatedAsync(db, run.Id, cancellationToken);
        }
        // Keys of runs that ended (here or through the MLflow API) stop working.
        var ended = await db.Runs.AsNoTracking().Where(r => r.Launch != null && RunStatusExtensions.Terminal.Contains(r.Status))
            .Where(r => db.ApiKeys.Any(k => k.RunId == r.Id && k.RevokedAt == null)).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var runId in ended) await db.RevokeRunKeysAsync(runId, DateTimeOffset.UtcNow, cancellationToken);
    }

    private async Task<bool> SubmitAsync(RlStudioDbContext db, IServiceProvider services, IJobLauncher launcher, ClusterAddress cluster, long runId,
        RunStatus status, long experimentId, long? ownerId, RunLaunch launch, CancellationToken cancellationToken)
    {
        if (status != RunStatus.Queued) return false;
        if (ownerId is not { } owner) return await FinishAsync(db, runId, RunStatus.Failed, "the run has no owner to issue its key to", launch, cancellationToken);
        var key = await services.GetRequiredService<ApiKeyIssuer>().ForRunAsync(owner, runId, cancellationToken);
        var trackingUri = TrackingUri();
        var environment = launch.RuntimeEnv?.DeepClone().AsObject() ?? [];
        var variables = environment["env_vars"] as JsonObject ?? [];
        environment["env_vars"] = variables;
        variables["MLFLOW_TRACKING_URI"] = trackingUri;
        variables["MLFLOW_TRACKING_TOKEN"] = key.Key;
        variables["MLFLOW_RUN_ID"] = Id(runId);
        variables["MLFLOW_EXPERIMENT_ID"] = Id(experimentId);
        variables["RLSTUDIO_RUN_ID"] = Id(runId);
        var job = new JobRequest($"rlstudio-run-{runId}", launch.Entrypoint, environment, new Dictionary<string, string> { ["rlstudio_run_id"] = Id(runId) },
            launch.EntrypointNumGpus, launch.EntrypointNumCpus);
        string submissionId;
        try
        {
            submissionId = await launcher.SubmitAsync(cluster, job, cancellationToken);
        }
        catch (Exception e) when (e is JobLauncherException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId}: submitting to {Cluster} failed: {Error}", runId, cluster.Address, e.Message);
            return await FinishAsync(db, runId, RunStatus.Failed, $"Submitting the job to {cluster.Address} failed: {e.Message}", launch, cancellationToken);
        }
        var submitted = launch with { TrackingUri = trackingUri, SubmissionId = submissionId, JobStatus = "PENDING" };
        var now = DateTimeOffset.UtcNow;
        var moved = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Starting).SetProperty(r => r.StartedAt, now).SetProperty(r => r.Launch, submitted),
                cancellationToken);
        if (moved == 0)
        {
            // Cancelled while it was being submitted: the job must not run on.
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Launch, submitted), cancellationToken);
            await TryStopAsync(launcher, cluster, runId, submissionId, cancellationToken);
        }
        logger.LogInformation("Run {RunId} submitted to Ray at {Cluster} as {SubmissionId}", runId, cluster.Address, submissionId);
        return true;
    }

    private async Task<bool> FollowAsync(RlStudioDbContext db, IJobLauncher launcher, ClusterAddress cluster, long runId, RunStatus status, RunLaunch launch,
        CancellationToken cancellationToken)
    {
        JobState state;
        try
        {
            if (status == RunStatus.CancelRequested) await launcher.StopAsync(cluster, launch.SubmissionId!, cancellationToken);
            state = await launcher.GetStateAsync(cluster, launch.SubmissionId!, cancellationToken);
        }
        catch (Exception e) when (e is JobLauncherException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId}: reading job {SubmissionId} failed: {Error}", runId, launch.SubmissionId, e.Message);
            return false; // the cluster may be back at the next pass
        }
        var followed = launch with { JobStatus = state.Status, Message = state.Message };
        var (next, error) = state.Status.ToUpperInvariant() switch
        {
            "PENDING" => (status == RunStatus.CancelRequested ? status : RunStatus.Starting, (string?)null),
            "RUNNING" => (status == RunStatus.CancelRequested ? status : RunStatus.Running, null),
            "SUCCEEDED" => (RunStatus.Succeeded, null),
            "FAILED" => (RunStatus.Failed, $"The Ray job failed: {state.Message ?? "no message"}"),
            "STOPPED" => (RunStatus.Cancelled, status == RunStatus.CancelRequested ? null : $"The Ray job was stopped: {state.Message ?? "no message"}"),
            _ => (status, null),
        };
        if (next.IsTerminal()) return await FinishAsync(db, runId, next, error, followed, cancellationToken);
        if (next == status && followed == launch) return false;
        await db.Runs.Where(r => r.Id == runId && !RunStatusExtensions.Terminal.Contains(r.Status))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, next).SetProperty(r => r.Launch, followed), cancellationToken);
        return true;
    }

    private static async Task<bool> FinishAsync(RlStudioDbContext db, long runId, RunStatus status, string? error, RunLaunch launch, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await db.Runs.Where(r => r.Id == runId && !RunStatusExtensions.Terminal.Contains(r.Status)).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Status, status).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Launch, launch), cancellationToken);
        await db.RevokeRunKeysAsync(runId, now, cancellationToken);
        return true;
    }

    private async Task TryStopAsync(IJobLauncher launcher, ClusterAddress cluster, long runId, string submissionId, CancellationToken cancellationToken)
    {
        try
        {
            await launcher.StopAsync(cluster, submissionId, cancellationToken);
        }
        catch (Exception e) when (e is JobLauncherException or HttpRequestException)
        {
            logger.LogWarning("Run {RunId}: stopping job {SubmissionId} failed: {Error}", runId, submissionId, e.Message);
        }
    }

    /// <summary>Where a job reaches this server: <see cref="LauncherOptions.PublicUrl"/>, else the first address it listens on.</summary>
    private string TrackingUri() =>
        options.Value.PublicUrl?.TrimEnd('/')
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/')
        ?? "http://127.0.0.1:5000";

    public static ClusterAddress Address(RayCluster cluster) => new(cluster.Address, cluster.AuthHeaderName, cluster.AuthHeaderValue);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
