using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Experiments;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;

namespace RlStudio.Web.Ui;

/// <summary>
/// The UI's typed client for this host's own public REST API (base address from <see cref="SelfBaseAddress"/>),
/// so the pages exercise the same contract as any other client. Non-success answers throw
/// <see cref="ApiProblemException"/> built from the ProblemDetails body.
/// </summary>
public sealed class RlStudioApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<IReadOnlyList<RunDto>> GetRunsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<RunDto>>("api/runs", cancellationToken);

    /// <summary>The run, or null when there is none with that id.</summary>
    public async Task<RunDto?> GetRunAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/runs/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadAsync<RunDto>(response, cancellationToken);
    }

    public async Task<RunDto> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/runs", request, Json, cancellationToken);
        return await ReadAsync<RunDto>(response, cancellationToken);
    }

    /// <summary>What creating the run would say, plus its memory estimate per online worker; stores nothing.</summary>
    public async Task<RunValidationDto> ValidateRunAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/runs/validate", request, Json, cancellationToken);
        return await ReadAsync<RunValidationDto>(response, cancellationToken);
    }

    /// <summary>Queues a Failed or Cancelled run again (it continues from its newest checkpoint).</summary>
    public async Task ResumeRunAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"api/runs/{id}/resume", content: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Renames a run or sets its notes or tags; validation errors come back as <see cref="ApiProblemException"/>.</summary>
    public async Task<RunDto> UpdateRunAsync(long id, UpdateRunRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PatchAsJsonAsync($"api/runs/{id}", request, Json, cancellationToken);
        return await ReadAsync<RunDto>(response, cancellationToken);
    }

    /// <summary>Deletes a finished run and everything it stored; the API's 409 reasons come back as <see cref="ApiProblemException"/>.</summary>
    public async Task DeleteRunAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"api/runs/{id}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task CancelRunAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"api/runs/{id}/cancel", content: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public Task<IReadOnlyList<RolloutDto>> GetRolloutsAsync(long id, int limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<RolloutDto>>($"api/runs/{id}/rollouts?limit={limit}", cancellationToken);

    /// <summary>The samples of one step (at most <paramref name="limit"/>).</summary>
    public Task<IReadOnlyList<RolloutDto>> GetRolloutsAtAsync(long id, int step, int limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<RolloutDto>>($"api/runs/{id}/rollouts?step={step}&limit={limit}", cancellationToken);

    /// <summary>The steps that have samples, ascending.</summary>
    public Task<IReadOnlyList<int>> GetRolloutStepsAsync(long id, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<int>>($"api/runs/{id}/rollouts/steps", cancellationToken);

    public Task<IReadOnlyList<CheckpointDto>> GetCheckpointsAsync(long id, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<CheckpointDto>>($"api/runs/{id}/checkpoints", cancellationToken);

    /// <summary>A run's checkpoint exports, newest first.</summary>
    public Task<IReadOnlyList<CheckpointExportDto>> GetExportsAsync(long runId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<CheckpointExportDto>>($"api/runs/{runId}/exports", cancellationToken);

    /// <summary>Queues the export of a checkpoint as a Hugging Face folder on a worker node (202: a Hangfire job).</summary>
    public async Task<CheckpointExportDto> ExportCheckpointAsync(long checkpointId, string folder, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"api/checkpoints/{checkpointId}/export", new ExportCheckpointRequest(folder), Json, cancellationToken);
        return await ReadAsync<CheckpointExportDto>(response, cancellationToken);
    }

    public Task<IReadOnlyList<ExperimentDto>> GetExperimentsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ExperimentDto>>("api/experiments", cancellationToken);

    public Task<IReadOnlyList<WorkerNodeDto>> GetWorkersAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<WorkerNodeDto>>("api/workers", cancellationToken);

    public Task<IReadOnlyList<DatasetDto>> GetDatasetsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<DatasetDto>>("api/datasets", cancellationToken);

    /// <summary>Deletes a dataset (409 while runs train on it, as <see cref="ApiProblemException"/>).</summary>
    public async Task DeleteDatasetAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"api/datasets/{id}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>A page of a dataset's newest version (<paramref name="limit"/> items from position <paramref name="offset"/>).</summary>
    public Task<DatasetItemsPage> GetDatasetItemsAsync(long datasetId, int offset, int limit, CancellationToken cancellationToken) =>
        GetAsync<DatasetItemsPage>($"api/datasets/{datasetId}/items?offset={offset}&limit={limit}", cancellationToken);

    /// <summary>Uploads a JSONL file (one <c>{"prompt", "reference"}</c> object per line) as a dataset (a new version if the name exists).</summary>
    public async Task<DatasetDto> UploadDatasetAsync(string name, Stream jsonl, string fileName, CancellationToken cancellationToken)
    {
        using var file = new StreamContent(jsonl);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        using var form = new MultipartFormDataContent { { new StringContent(name), "name" }, { file, "file", fileName } };
        using var response = await http.PostAsync("api/datasets", form, cancellationToken);
        return await ReadAsync<DatasetDto>(response, cancellationToken);
    }

    private async Task<T> GetAsync<T>(string uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} returned an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        throw await ToProblemAsync(response, cancellationToken);
    }

    private static async Task<ApiProblemException> ToProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var fallbackTitle = $"{(int)status} {response.ReasonPhrase}";
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json);
            if (problem is not null && (problem.Title is not null || problem.Detail is not null || problem.Errors.Count > 0))
            {
                return new ApiProblemException(status, problem.Title ?? fallbackTitle, problem.Detail,
                    new Dictionary<string, string[]>(problem.Errors, StringComparer.OrdinalIgnoreCase));
            }
        }
        catch (JsonException)
        {
            // Not a ProblemDetails body: fall through to the raw text.
        }

        var snippet = body.Length > 300 ? body[..300] + "…" : body;
        return new ApiProblemException(status, fallbackTitle, string.IsNullOrWhiteSpace(snippet) ? null : snippet,
            new Dictionary<string, string[]>());
    }
}
