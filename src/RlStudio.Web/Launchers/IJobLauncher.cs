using System.Text.Json.Nodes;

namespace RlStudio.Web.Launchers;

/// <summary>
/// Runs an external run's job on a cluster and reports on it. Ray's Jobs API is the one implementation
/// (<see cref="RayJobLauncher"/>); a Kubernetes Job launcher would be another.
/// </summary>
public interface IJobLauncher
{
    /// <summary>Submits the job; returns its submission id.</summary>
    Task<string> SubmitAsync(ClusterAddress cluster, JobRequest job, CancellationToken cancellationToken);

    Task<JobState> GetStateAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken);

    Task StopAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken);

    /// <summary>The job's log (the cluster's whole log text; callers keep the tail).</summary>
    Task<string> GetLogsAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken);
}

/// <summary>Where a cluster answers, and the header its requests carry (when it needs one).</summary>
public sealed record ClusterAddress(string Address, string? AuthHeaderName, string? AuthHeaderValue);

/// <summary>A job to submit: its submission id (RL Studio chooses it: "rlstudio-run-{id}"), command, runtime_env and reservations.</summary>
public sealed record JobRequest(string SubmissionId, string Entrypoint, JsonObject RuntimeEnv, IReadOnlyDictionary<string, string> Metadata,
    double? EntrypointNumGpus, double? EntrypointNumCpus);

/// <summary>A job's status as Ray names it (PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED) and its message.</summary>
public sealed record JobState(string Status, string? Message);
