using System.Text.Json.Nodes;

namespace RlStudio.Data.Entities;

/// <summary>
/// How an external run was launched and where its job stands: the cluster, the command, what Ray reserves for it, and
/// once submitted the tracking address the job was given, Ray's submission id, and the job's last status and message.
/// </summary>
public sealed record RunLaunch(
    long ClusterId,
    string Entrypoint,
    JsonObject? RuntimeEnv,
    double? EntrypointNumGpus,
    double? EntrypointNumCpus,
    string? TrackingUri = null,
    string? SubmissionId = null,
    string? JobStatus = null,
    string? Message = null);
