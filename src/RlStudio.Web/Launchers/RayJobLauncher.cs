using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlStudio.Web.Launchers;

/// <summary>
/// Ray's Job Submission REST API on a cluster's dashboard address: <c>POST /api/jobs/</c>, <c>GET /api/jobs/{id}</c>,
/// <c>POST /api/jobs/{id}/stop</c>, <c>GET /api/jobs/{id}/logs</c>, with Ray's field names.
/// </summary>
public sealed class RayJobLauncher(HttpClient http) : IJobLauncher
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<string> SubmitAsync(ClusterAddress cluster, JobRequest job, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["entrypoint"] = job.Entrypoint,
            ["submission_id"] = job.SubmissionId,
            ["runtime_env"] = job.RuntimeEnv.DeepClone(),
            ["metadata"] = new JsonObject(job.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        };
        if (job.EntrypointNumGpus is { } gpus) body["entrypoint_num_gpus"] = gpus;
        if (job.EntrypointNumCpus is { } cpus) body["entrypoint_num_cpus"] = cpus;
        using var request = Request(HttpMethod.Post, cluster, "api/jobs/");
        request.Content = JsonContent.Create(body);
        var answer = await SendAsync<JsonObject>(request, cancellationToken);
        return answer["submission_id"]?.GetValue<string>() ?? answer["job_id"]?.GetValue<string>() ?? job.SubmissionId;
    }

    public async Task<JobState> GetStateAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, cluster, $"api/jobs/{Uri.EscapeDataString(submissionId)}");
        var details = await SendAsync<JsonObject>(request, cancellationToken);
        return new JobState(details["status"]?.GetValue<string>() ?? "PENDING", details["message"]?.GetValue<string>());
    }

    public async Task StopAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, cluster, $"api/jobs/{Uri.EscapeDataString(submissionId)}/stop");
        await SendAsync<JsonObject>(request, cancellationToken);
    }

    public async Task<string> GetLogsAsync(ClusterAddress cluster, string submissionId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, cluster, $"api/jobs/{Uri.EscapeDataString(submissionId)}/logs");
        return (await SendAsync<JsonObject>(request, cancellationToken))["logs"]?.GetValue<string>() ?? "";
    }

    private static HttpRequestMessage Request(HttpMethod method, ClusterAddress cluster, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(new Uri(cluster.Address.TrimEnd('/') + "/"), path));
        if (cluster.AuthHeaderName is { } name) request.Headers.TryAddWithoutValidation(name, cluster.AuthHeaderValue);
        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new JobLauncherException($"Ray answered {(int)response.StatusCode} to {request.Method} {request.RequestUri!.AbsolutePath}: {Shorten(text)}");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new JobLauncherException($"Ray answered {request.RequestUri!.AbsolutePath} with nothing.");
        }
        catch (JsonException)
        {
            throw new JobLauncherException($"Ray's answer to {request.RequestUri!.AbsolutePath} is not JSON: {Shorten(text)}");
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}

/// <summary>A cluster refused or could not be reached; the message says which and why.</summary>
public sealed class JobLauncherException(string message) : Exception(message);
