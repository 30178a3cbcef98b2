using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Launchers;

/// <summary>
/// An external run's <c>launcher</c>: type <c>ray</c>, a cluster an Admin registered (by name, or by its exact address —
/// never an address of the spec's own), an entrypoint, a runtime_env object, and GPU/CPU reservations. The run takes no
/// dataset, base, rewards or settings: its trainer has its own.
/// </summary>
public sealed class LaunchValidator(IRunReferences references)
{
    /// <summary>The queue column of launched runs (no RL Studio worker takes them).</summary>
    public const string Queue = "external";

    public const int MaxEntrypointLength = 10_000;
    public const int MaxRuntimeEnvBytes = 64 * 1024;

    public async Task<RunLaunch?> ValidateAsync(CreateRunRequest request, ValidationErrors errors, CancellationToken cancellationToken)
    {
        foreach (var (field, given) in new[] { ("dataset", request.Dataset is not null), ("base", request.Base is not null),
                     ("rewards", request.Rewards is { Count: > 0 }), ("settings", request.Settings is { Count: > 0 }) })
        {
            if (given) errors.Add(field, "an external run takes none: its trainer brings its own (configure it in the entrypoint)");
        }
        if (request.Launcher is not { } launcher)
        {
            errors.Add("launcher", "required for an external run: {\"type\": \"ray\", \"cluster\", \"entrypoint\", …}; " +
                                   "a run that reports in on its own is created through the MLflow API (/api/2.0/mlflow/runs/create)");
            return null;
        }
        if (launcher.Type?.Trim().ToLowerInvariant() != "ray") errors.Add("launcher.type", "one of: ray");
        long? cluster = null;
        if (launcher.Cluster is { } name)
        {
            cluster = await references.FindRayClusterAsync(name.Trim(), null, cancellationToken);
            if (cluster is null) errors.Add("launcher.cluster", $"no registered Ray cluster is named '{name}' (an Admin registers clusters)");
        }
        else if (launcher.Address is { } address)
        {
            cluster = await references.FindRayClusterAsync(null, address.Trim().TrimEnd('/'), cancellationToken);
            if (cluster is null) errors.Add("launcher.address", $"'{address}' is not the address of a registered Ray cluster (an Admin registers clusters)");
        }
        else
        {
            errors.Add("launcher.cluster", "required: a registered Ray cluster's name (or its address)");
        }
        var entrypoint = launcher.Entrypoint?.Trim();
        if (string.IsNullOrEmpty(entrypoint)) errors.Add("launcher.entrypoint", "required: the command the job runs (e.g. python3 -m verl.trainer.main_ppo …)");
        else if (entrypoint.Length > MaxEntrypointLength || entrypoint.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            errors.Add("launcher.entrypoint", $"at most {MaxEntrypointLength} characters, no control characters");
        if (launcher.RuntimeEnv is { } env)
        {
            if (env.ToJsonString().Length > MaxRuntimeEnvBytes) errors.Add("launcher.runtimeEnv", $"at most {MaxRuntimeEnvBytes / 1024} KiB of JSON");
            if (env["env_vars"] is { } vars && vars is not System.Text.Json.Nodes.JsonObject) errors.Add("launcher.runtimeEnv.env_vars", "must be an object of names to strings");
        }
        if (launcher.EntrypointNumGpus is { } gpus && !(double.IsFinite(gpus) && gpus is >= 0 and <= 1024)) errors.Add("launcher.entrypointNumGpus", "must be in 0..1024");
        if (launcher.EntrypointNumCpus is { } cpus && !(double.IsFinite(cpus) && cpus is >= 0 and <= 65536)) errors.Add("launcher.entrypointNumCpus", "must be in 0..65536");
        if (!errors.IsEmpty || cluster is null) return null;
        return new RunLaunch(cluster.Value, entrypoint!, launcher.RuntimeEnv?.DeepClone().AsObject(), launcher.EntrypointNumGpus, launcher.EntrypointNumCpus);
    }
}
