using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Audit;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Experiments;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Web.Api;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Labeling;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Ui;

/// <summary>
/// The pages' door to the application: the very handlers the REST API maps, called in-process (no HTTP loopback) under
/// the signed-in user, each call in its own DI scope (a circuit lives long; a DbContext should not). A refusal throws
/// <see cref="ApiProblemException"/> with the problem the REST API would have answered, so forms show the same field
/// errors. Every call needs the policy its route needs (most: <see cref="Policies.Researchers"/>).
/// </summary>
public sealed class RlStudioApp(IServiceScopeFactory scopes, AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    /// <summary>The newest runs (the list's first page at its default size).</summary>
    public async Task<IReadOnlyList<RunDto>> GetRunsAsync(CancellationToken cancellationToken) =>
        (await ListRunsAsync(new RunListParameters(), cancellationToken)).Runs;

    /// <summary>A page of the runs list (filters, order, window) and how many runs match in all.</summary>
    public Task<Data.Queries.RunListPage> ListRunsAsync(RunListParameters query, CancellationToken cancellationToken) =>
        CallAsync<Data.Queries.RunListPage>(async (s, _) => await RunsApi.ListRunsPage(query, Db(s), cancellationToken));

    /// <summary>Cancels, tags or deletes several runs, each as its single-run action would; says which were left alone and why.</summary>
    public Task<BulkRunResult> BulkAsync(BulkRunRequest request, CancellationToken cancellationToken) =>
        CallAsync<BulkRunResult>(async (s, user) => await RunBulkApi.Bulk(request, Services(s), s.GetRequiredService<RunDeletion>(), user, cancellationToken));

    /// <summary>The runs and checkpoints a run started from, and the runs that start from it.</summary>
    public Task<RunLineageDto> GetLineageAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<RunLineageDto>(async (s, _) => await RunLineageApi.GetLineage(id, Db(s), cancellationToken));

    /// <summary>The run, or null when there is none with that id.</summary>
    public async Task<RunDto?> GetRunAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync<RunDto>(async (s, _) => await RunsApi.GetRun(id, Db(s), cancellationToken));
        }
        catch (ApiProblemException problem) when (problem.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<RunDto> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken) =>
        CallAsync<RunDto>(async (s, user) => await RunsApi.CreateRun(request, Services(s), user, cancellationToken));

    /// <summary>What creating the run would say, plus its memory estimate per online worker; stores nothing.</summary>
    public Task<RunValidationDto> ValidateRunAsync(CreateRunRequest request, CancellationToken cancellationToken) =>
        CallAsync<RunValidationDto>(async (s, _) => await RunsApi.ValidateRun(request, s.GetRequiredService<RunPreflight>(), cancellationToken));

    /// <summary>Queues a Failed or Cancelled run again (it continues from its newest checkpoint).</summary>
    public Task ResumeRunAsync(long id, CancellationToken cancellationToken, System.Text.Json.Nodes.JsonObject? settings = null) =>
        CallAsync<RunDto>(async (s, user) => await RunsApi.ResumeRun(id, new ResumeRunRequest(settings), Services(s), user, cancellationToken));

    /// <summary>Renames a run or sets its notes or tags.</summary>
    public Task<RunDto> UpdateRunAsync(long id, UpdateRunRequest request, CancellationToken cancellationToken) =>
        CallAsync<RunDto>(async (s, user) => await RunsApi.UpdateRun(id, request, Services(s), user, cancellationToken));

    /// <summary>Deletes a finished run and everything it stored (its owner or an Admin).</summary>
    public Task DeleteRunAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<object>(async (s, user) => await RunsApi.DeleteRun(id, s.GetRequiredService<RunDeletion>(), s.GetRequiredService<RunNotifier>(), Audit(s), user, cancellationToken));

    public Task CancelRunAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<RunDto>(async (s, user) => await RunsApi.CancelRun(id, Services(s), user, cancellationToken));

    /// <summary>Pauses a run at its next step boundary (a queued run at once).</summary>
    public Task<RunDto> PauseRunAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<RunDto>(async (s, user) => await RunSteeringApi.PauseRun(id, Services(s), user, cancellationToken));

    /// <summary>Queues a paused run again, to go on from its pause checkpoint.</summary>
    public Task<RunDto> ContinueRunAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<RunDto>(async (s, user) => await RunSteeringApi.ContinueRun(id, Services(s), user, cancellationToken));

    /// <summary>Changes settings of a run while it trains, from its next step boundary (or <c>atStep</c>).</summary>
    public Task<SettingChangeDto> ChangeSettingsAsync(long id, System.Text.Json.Nodes.JsonObject changes, CancellationToken cancellationToken) =>
        CallAsync<SettingChangeDto>(async (s, user) => await RunSteeringApi.ChangeSettings(id, changes, s.GetRequiredService<SettingChangeRequests>(),
            s.GetRequiredService<RunNotifier>(), Audit(s), Db(s), user, cancellationToken));

    /// <summary>The run's settings changes, oldest first.</summary>
    public Task<IReadOnlyList<SettingChangeDto>> GetSettingChangesAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<SettingChangeDto>>(async (s, _) => await RunSteeringApi.ListSettingChanges(id, Db(s), cancellationToken));

    /// <summary>The metric keys any run reports (the runs list's column chooser).</summary>
    public Task<IReadOnlyList<string>> GetMetricKeysAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<string>>(async (s, _) => await MetricKeysApi.ListMetricKeys(Db(s), cancellationToken));

    /// <summary>The run's timeline, newest first.</summary>
    public Task<IReadOnlyList<RunEventDto>> GetRunEventsAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<RunEventDto>>(async (s, _) => await RunEventsApi.ListEvents(id, null, Db(s), cancellationToken));

    public Task<IReadOnlyList<RolloutDto>> GetRolloutsAsync(long id, int limit, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<RolloutDto>>(async (s, _) => await RunsApi.GetRollouts(id, new RolloutQuery { Limit = limit }, Db(s), cancellationToken));

    /// <summary>The samples of one step (at most <paramref name="limit"/>).</summary>
    public Task<IReadOnlyList<RolloutDto>> GetRolloutsAtAsync(long id, int step, int limit, CancellationToken cancellationToken) =>
        SearchRolloutsAsync(id, new RolloutQuery { Step = step, Limit = limit }, cancellationToken);

    /// <summary>The newest samples matching <paramref name="query"/> (steps, rewards, words).</summary>
    public Task<IReadOnlyList<RolloutDto>> SearchRolloutsAsync(long id, RolloutQuery query, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<RolloutDto>>(async (s, _) => await RunsApi.GetRollouts(id, query, Db(s), cancellationToken));

    /// <summary>The steps that have samples, ascending.</summary>
    public Task<IReadOnlyList<int>> GetRolloutStepsAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<int>>(async (s, _) => await RunsApi.GetRolloutSteps(id, Db(s), cancellationToken));

    public Task<IReadOnlyList<AlarmDto>> GetAlarmsAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<AlarmDto>>(async (s, _) => await RunsApi.ListAlarms(id, Db(s), cancellationToken));

    public Task<IReadOnlyList<CheckpointDto>> GetCheckpointsAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<CheckpointDto>>(async (s, _) => await RunsApi.ListCheckpoints(id, Db(s), cancellationToken));

    /// <summary>A run's checkpoint exports, newest first.</summary>
    public Task<IReadOnlyList<CheckpointExportDto>> GetExportsAsync(long runId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<CheckpointExportDto>>(async (s, _) => await CheckpointsApi.ListRunExports(runId, Db(s), cancellationToken));

    /// <summary>Queues the export of a checkpoint as a Hugging Face folder on a worker node.</summary>
    public Task<CheckpointExportDto> ExportCheckpointAsync(long checkpointId, string folder, CancellationToken cancellationToken) =>
        CallAsync<CheckpointExportDto>(async (s, user) => await CheckpointsApi.ExportCheckpoint(checkpointId, new ExportCheckpointRequest(folder),
            s.GetRequiredService<ExportLifecycle>(), s.GetRequiredService<RunNotifier>(), Audit(s), Db(s), user, cancellationToken));

    public Task<IReadOnlyList<ExperimentDto>> GetExperimentsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ExperimentDto>>(async (s, _) => await ExperimentsApi.ListExperiments(Db(s), cancellationToken));

    public Task<IReadOnlyList<WorkerNodeDto>> GetWorkersAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<WorkerNodeDto>>(async (s, _) => await WorkersApi.ListWorkers(Db(s), cancellationToken));

    public Task<IReadOnlyList<QueueDto>> GetQueuesAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<QueueDto>>(async (s, _) => await QueuesApi.ListQueues(Db(s), cancellationToken));

    public Task<IReadOnlyList<DatasetDto>> GetDatasetsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<DatasetDto>>(async (s, _) => await DatasetsApi.ListDatasets(Db(s), cancellationToken));

    /// <summary>Deletes a dataset (its owner or an Admin; refused while runs train on it).</summary>
    public Task DeleteDatasetAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<object>(async (s, user) => await DatasetsApi.DeleteDataset(id.ToString(System.Globalization.CultureInfo.InvariantCulture), Db(s), Audit(s), user, cancellationToken));

    /// <summary>A page of a dataset's newest version (<paramref name="limit"/> items from position <paramref name="offset"/>).</summary>
    public Task<DatasetItemsPage> GetDatasetItemsAsync(long datasetId, int offset, int limit, CancellationToken cancellationToken) =>
        CallAsync<DatasetItemsPage>(async (s, _) => await DatasetsApi.GetDatasetItems(datasetId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            offset, limit, null, Db(s), cancellationToken));

    /// <summary>Uploads a JSONL file as a dataset (a new version if the name exists).</summary>
    public async Task<DatasetDto> UploadDatasetAsync(string name, Stream jsonl, string fileName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await jsonl.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var file = new FormFile(buffer, 0, buffer.Length, "file", fileName);
        return await CallAsync<DatasetDto>(async (s, user) => await DatasetsApi.UploadDataset(name, file, Db(s), Audit(s), user, cancellationToken));
    }

    /// <summary>The signed-in account's keys (an Admin's <paramref name="all"/>: everyone's).</summary>
    public Task<IReadOnlyList<ApiKeyDto>> GetKeysAsync(bool all, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ApiKeyDto>>(async (s, user) => await AccountsApi.ListKeys(null, all, user, Accounts(s), cancellationToken), Policies.Accounts);

    /// <summary>A new key for the signed-in account: the secret is in the answer, once.</summary>
    public Task<CreatedApiKeyDto> CreateKeyAsync(string? name, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        CallAsync<CreatedApiKeyDto>(async (s, user) => await AccountsApi.CreateKey(Caller.From(user).UserId ?? 0, new CreateApiKeyRequest(name, expiresAt), user,
            Accounts(s), cancellationToken), Policies.Accounts);

    public Task RevokeKeyAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<object>(async (s, user) => await AccountsApi.RevokeKey(id, user, Accounts(s), cancellationToken), Policies.Accounts);

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<UserDto>>(async (s, _) => await AccountsApi.ListUsers(Accounts(s), cancellationToken), Policies.Admins);

    public Task<CreatedUserDto> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken) =>
        CallAsync<CreatedUserDto>(async (s, user) => await AccountsApi.CreateUser(request, user, Accounts(s), cancellationToken), Policies.Admins);

    public Task<UserDto> UpdateUserAsync(long id, UpdateUserRequest request, CancellationToken cancellationToken) =>
        CallAsync<UserDto>(async (s, user) => await AccountsApi.UpdateUser(id, request, user, Accounts(s), cancellationToken), Policies.Admins);

    /// <summary>A worker node's key (the node's earlier keys are revoked).</summary>
    public Task<CreatedApiKeyDto> CreateWorkerKeyAsync(string workerName, CancellationToken cancellationToken) =>
        CallAsync<CreatedApiKeyDto>(async (s, user) => await AccountsApi.CreateWorkerKey(new CreateApiKeyRequest(workerName), user, Accounts(s),
            cancellationToken), Policies.Admins);

    public Task<AuditPage> GetAuditAsync(long? userId, string? action, string? targetType, long? before, int limit, CancellationToken cancellationToken) =>
        CallAsync<AuditPage>(async (s, _) => await AuditApi.GetAudit(userId, action, targetType, null, before, limit, Db(s), cancellationToken), Policies.Admins);

    public Task<IReadOnlyList<ComparisonBatchDto>> GetBatchesAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ComparisonBatchDto>>(async (s, _) => await ComparisonBatchesApi.ListBatches(Db(s), cancellationToken));

    public Task<ComparisonBatchDto> GetBatchAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<ComparisonBatchDto>(async (s, _) => await ComparisonBatchesApi.GetBatch(id, Db(s), cancellationToken));

    /// <summary>A batch sampled on a worker node (its sampling job is queued).</summary>
    public Task<ComparisonBatchDto> SampleBatchAsync(CreateComparisonBatchRequest request, CancellationToken cancellationToken) =>
        CallAsync<ComparisonBatchDto>(async (s, user) => await ComparisonBatchesApi.SampleBatch(request, user, Batches(s), Notifier(s), Db(s), cancellationToken));

    /// <summary>A batch from a JSONL file of prompt, response_a, response_b (all lines or nothing).</summary>
    public Task<ComparisonBatchDto> ImportBatchAsync(string? name, int? overlap, string? guidelines, Stream jsonl, CancellationToken cancellationToken) =>
        CallAsync<ComparisonBatchDto>(async (s, user) => await ComparisonBatchesApi.ImportBatch(name, overlap, guidelines, jsonl, user, Batches(s), Notifier(s), Db(s),
            cancellationToken));

    /// <summary>Sets the labelers whose labels statistics and exports leave out (the owner or an Admin).</summary>
    public Task<ComparisonBatchDto> ExcludeLabelersAsync(long id, IReadOnlyList<string> labelers, CancellationToken cancellationToken) =>
        CallAsync<ComparisonBatchDto>(async (s, user) => await ComparisonBatchesApi.UpdateBatch(id, new UpdateComparisonBatchRequest(labelers), user, Batches(s),
            cancellationToken));

    public Task<BatchStatsDto> GetBatchStatsAsync(long id, CancellationToken cancellationToken) =>
        CallAsync<BatchStatsDto>(async (s, _) => await ComparisonBatchesApi.GetStats(id, s.GetRequiredService<BatchStatistics>(), cancellationToken));

    /// <summary>A new preference dataset version from the batch's labels.</summary>
    public Task<DatasetDto> ExportBatchAsync(long id, ExportBatchRequest request, CancellationToken cancellationToken) =>
        CallAsync<DatasetDto>(async (s, user) => await ComparisonBatchesApi.SaveExport(id, request, user, s.GetRequiredService<BatchExport>(), cancellationToken));

    /// <summary>The batches the signed-in account may label, with their progress there.</summary>
    public Task<IReadOnlyList<LabelingBatchDto>> GetLabelingBatchesAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<LabelingBatchDto>>(async (s, user) => await LabelingApi.ListBatches(user, Labeling(s), cancellationToken), Policies.Labelers);

    /// <summary>The next item for the signed-in labeler (not one of <paramref name="except"/>), or null when nothing is left.</summary>
    public async Task<LabelingItemDto?> NextItemAsync(long batchId, IReadOnlyCollection<long> except, CancellationToken cancellationToken) =>
        await CallAsync<LabelingItemDto>(async (s, user) => await LabelingApi.Next(batchId, string.Join(',', except), user, Labeling(s), cancellationToken),
            Policies.Labelers);

    public Task<LabelDto> LabelAsync(long itemId, LabelRequest request, CancellationToken cancellationToken) =>
        CallAsync<LabelDto>(async (s, user) => await LabelingApi.Label(itemId, request, user, Labeling(s), cancellationToken), Policies.Labelers);

    public Task SkipItemAsync(long itemId, CancellationToken cancellationToken) =>
        CallAsync<object>(async (s, user) => await LabelingApi.Skip(itemId, user, Labeling(s), cancellationToken), Policies.Labelers);

    public Task UndoLabelAsync(long itemId, CancellationToken cancellationToken) =>
        CallAsync<object>(async (s, user) => await LabelingApi.Undo(itemId, user, Labeling(s), cancellationToken), Policies.Labelers);

    /// <summary>The end of a launched run's job log, read from its cluster now.</summary>
    public Task<Launchers.RunLogsDto> GetRunLogsAsync(long runId, CancellationToken cancellationToken) =>
        CallAsync<Launchers.RunLogsDto>(async (s, _) => await Launchers.LaunchesApi.GetLogs(runId, Db(s), s.GetRequiredService<Launchers.IJobLauncher>(),
            s.GetRequiredService<Microsoft.Extensions.Options.IOptions<Launchers.LauncherOptions>>(), cancellationToken));

    private static ComparisonBatchCommands Batches(IServiceProvider services) => services.GetRequiredService<ComparisonBatchCommands>();

    private static LabelingService Labeling(IServiceProvider services) => services.GetRequiredService<LabelingService>();

    private static RunNotifier Notifier(IServiceProvider services) => services.GetRequiredService<RunNotifier>();

    private static AccountService Accounts(IServiceProvider services) => services.GetRequiredService<AccountService>();

    private static RlStudioDbContext Db(IServiceProvider services) => services.GetRequiredService<RlStudioDbContext>();

    private static AuditLog Audit(IServiceProvider services) => services.GetRequiredService<AuditLog>();

    private static RunServices Services(IServiceProvider services) => new(
        Db(services), services.GetRequiredService<RunRequestValidator>(), services.GetRequiredService<RunCommands>(),
        services.GetRequiredService<RunNotifier>(), Audit(services));

    /// <summary>Runs a handler in a fresh scope as the signed-in user and reads its answer.</summary>
    private async Task<T> CallAsync<T>(Func<IServiceProvider, ClaimsPrincipal, Task<IResult>> handler, string policy = Policies.Researchers) where T : class
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            throw new ApiProblemException(HttpStatusCode.Forbidden, "Not allowed", "Your role may not do this.", new Dictionary<string, string[]>());
        await using var scope = scopes.CreateAsyncScope();
        return Read<T>(await handler(scope.ServiceProvider, user));
    }

    /// <summary>The value of a success, nothing for a success without one, or the problem as an exception.</summary>
    private static T Read<T>(IResult result) where T : class
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result switch
        {
            IValueHttpResult<T> value => value.Value!,
            ProblemHttpResult problem => throw Problem(problem.ProblemDetails, problem.StatusCode),
            ValidationProblem validation => throw Problem(validation.ProblemDetails, validation.StatusCode),
            IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => null!,
            _ => throw new InvalidOperationException($"Unexpected answer {result.GetType().Name}."),
        };
    }

    private static ApiProblemException Problem(ProblemDetails problem, int status) => new(
        (HttpStatusCode)status, problem.Title ?? $"{status}", problem.Detail,
        problem is HttpValidationProblemDetails validation
            ? new Dictionary<string, string[]>(validation.Errors, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string[]>());
}
