using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Launchers;

/// <summary>
/// Where an external run is launched (<c>"launcher"</c> in <c>POST /api/runs</c> with <c>"algorithm": "external"</c>):
/// <c>type</c> <c>ray</c> submits <see cref="Entrypoint"/> to a Ray cluster an Admin registered, named by
/// <see cref="Cluster"/> or by its <see cref="Address"/>. <see cref="RuntimeEnv"/> is Ray's runtime_env (RL Studio adds
/// the MLflow variables to its <c>env_vars</c>); the entrypoint's GPUs and CPUs are reserved as Ray's
/// <c>entrypoint_num_gpus</c> / <c>entrypoint_num_cpus</c>.
/// </summary>
public sealed record LauncherSpec(
    string? Type,
    string? Cluster = null,
    string? Address = null,
    string? Entrypoint = null,
    JsonObject? RuntimeEnv = null,
    double? EntrypointNumGpus = null,
    double? EntrypointNumCpus = null);

/// <summary>An external run's launch as the API shows it: the cluster, the command, Ray's submission id, its job status and message.</summary>
public sealed record RunLaunchDto(string Type, string Cluster, string Entrypoint, string? SubmissionId, string? JobStatus, string? Message);

/// <summary>A registered Ray cluster (<c>/api/ray-clusters</c>); its auth header is never shown back.</summary>
public sealed record RayClusterDto(long Id, string Name, string Address, bool HasAuthHeader, DateTimeOffset CreatedAt);

/// <summary><c>POST /api/ray-clusters</c> (Admin): the dashboard address (<c>http://head:8265</c>) and an optional header every request carries.</summary>
public sealed record CreateRayClusterRequest(string? Name, string? Address, string? AuthHeaderName = null, string? AuthHeaderValue = null);
