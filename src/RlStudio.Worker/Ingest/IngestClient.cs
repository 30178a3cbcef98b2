using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;

namespace RlStudio.Worker.Ingest;

/// <summary>
/// Typed client of the web host's ingest API (<c>/api/ingest</c>). Every write is idempotent on the
/// server, so transient failures are retried here. Thread-safe (one <see cref="HttpClient"/>).
/// </summary>
public sealed class IngestClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task AnnounceAsync(WorkerHeartbeat heartbeat, CancellationToken cancellationToken) =>
        PostAsync("api/ingest/workers/heartbeat", heartbeat, cancellationToken);

    /// <summary>Claims a queued run; null when another worker has it or it is no longer claimable.</summary>
    public async Task<RunClaim?> ClaimAsync(long runId, string worker, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.PostAsJsonAsync($"api/ingest/runs/{runId}/claim", new ClaimRunRequest(worker), Json, cancellationToken),
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RunClaim>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The claim reply was empty.");
    }

    public async Task<DatasetItemsResponse> GetDatasetItemsAsync(long versionId, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.GetAsync($"api/ingest/datasets/versions/{versionId}/items", cancellationToken), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<DatasetItemsResponse>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The dataset reply was empty.");
    }

    public async Task<RunProgressReply> ReportProgressAsync(long runId, RunProgress progress, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.PostAsJsonAsync($"api/ingest/runs/{runId}/progress", progress, Json, cancellationToken), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RunProgressReply>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The progress reply was empty.");
    }

    /// <summary>
    /// As <see cref="ReportProgressAsync"/>, one try only: null when the web host is away (<see cref="IsOutage"/>) or the
    /// call was cancelled, so a step loop goes on during an outage (its reports wait in the run's <see cref="ReportSpool"/>).
    /// </summary>
    public async Task<RunProgressReply?> TryReportProgressAsync(long runId, RunProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendWithRetryAsync(
                () => http.PostAsJsonAsync($"api/ingest/runs/{runId}/progress", progress, Json, cancellationToken), cancellationToken, attempts: 1);
            await EnsureSuccessAsync(response, cancellationToken);
            return await response.Content.ReadFromJsonAsync<RunProgressReply>(Json, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e, cancellationToken) || e is OperationCanceledException)
        {
            return null;   // unknown for now; a stopping node sees its own cancellation at the next step boundary
        }
    }

    /// <summary>
    /// True when <paramref name="exception"/> means the web host (or its database) is away for now — no connection, a 5xx,
    /// a 429 past the retries, a timeout — rather than a refusal: the request may be sent again later.
    /// </summary>
    public static bool IsOutage(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException => true,
        IngestException e => (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.TooManyRequests,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,   // the client's timeout
        _ => false,
    };

    /// <summary>The run's status as the web host has it (whether it should stop), without reporting anything.</summary>
    public async Task<RunProgressReply> GetStatusAsync(long runId, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(() => http.GetAsync($"api/ingest/runs/{runId}/status", cancellationToken), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RunProgressReply>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The status reply was empty.");
    }

    public Task SetStatusAsync(long runId, RunStatusUpdate update, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/runs/{runId}/status", update, cancellationToken);

    public Task AppendMetricsAsync(long runId, MetricBatch batch, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/runs/{runId}/metrics", batch, cancellationToken);

    public Task AppendRolloutsAsync(long runId, RolloutBatch batch, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/runs/{runId}/rollouts", batch, cancellationToken);

    /// <summary>That a settings change was applied from a step on (or refused); the first report counts on the server.</summary>
    public Task ReportSettingChangeAsync(long runId, long changeId, SettingChangeApplied report, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/runs/{runId}/settings/{changeId}", report, cancellationToken);

    /// <summary>Uploads checkpoint bytes for (run, step); idempotent on the server.</summary>
    public async Task<CheckpointDto> UploadCheckpointAsync(long runId, int step, byte[] content, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(() =>
        {
            var body = new ByteArrayContent(content);
            body.Headers.ContentType = new("application/octet-stream");
            return http.PostAsync($"api/ingest/runs/{runId}/checkpoints?step={step}", body, cancellationToken);
        }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<CheckpointDto>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The checkpoint reply was empty.");
    }

    /// <summary>Reports on an export this node runs; false when the export has already finished (409: nothing to do).</summary>
    public async Task<bool> ReportExportAsync(long exportId, ExportStatusUpdate update, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.PostAsJsonAsync($"api/ingest/exports/{exportId}/status", update, Json, cancellationToken), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>Takes a comparison batch to sample; null when another node has it or it is no longer sampling.</summary>
    public async Task<ComparisonSamplingClaim?> ClaimBatchAsync(long batchId, string worker, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.PostAsJsonAsync($"api/ingest/batches/{batchId}/claim", new ClaimRunRequest(worker), Json, cancellationToken), cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ComparisonSamplingClaim>(Json, cancellationToken)
               ?? throw new InvalidOperationException("The batch claim reply was empty.");
    }

    public Task AddBatchItemsAsync(long batchId, ComparisonItemsBatch items, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/batches/{batchId}/items", items, cancellationToken);

    public Task SetBatchStatusAsync(long batchId, ComparisonBatchStatusUpdate update, CancellationToken cancellationToken) =>
        PostAsync($"api/ingest/batches/{batchId}/status", update, cancellationToken);

    public async Task<byte[]> DownloadCheckpointAsync(long checkpointId, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(
            () => http.GetAsync($"api/ingest/checkpoints/{checkpointId}/content", cancellationToken), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task PostAsync<T>(string path, T body, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(() => http.PostAsJsonAsync(path, body, Json, cancellationToken), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Retries connection failures and 5xx answers with a short backoff, and 429 after the server's <c>Retry-After</c>
    /// (the writes are idempotent, and a rate limit slows a run down rather than failing it).
    /// </summary>
    private static async Task<HttpResponseMessage> SendWithRetryAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken,
        int attempts = 5)
    {
        const int throttledAttempts = 60;
        var throttled = 0;
        for (var attempt = 1; ; attempt++)
        {
            var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, Math.Min(attempt, 6)));
            try
            {
                var response = await send();
                if (response.StatusCode == HttpStatusCode.TooManyRequests && ++throttled < throttledAttempts)
                {
                    delay = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    attempt--;   // waiting out a rate limit is not a failed attempt
                    response.Dispose();
                }
                else if ((int)response.StatusCode < 500 || attempt == attempts)
                {
                    return response;
                }
                else
                {
                    response.Dispose();
                }
            }
            catch (HttpRequestException) when (attempt < attempts)
            {
            }
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new IngestException(response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} → {(int)response.StatusCode}: {detail}");
    }
}
