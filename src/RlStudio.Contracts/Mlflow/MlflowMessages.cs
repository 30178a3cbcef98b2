namespace RlStudio.Contracts.Mlflow;

// The messages of MLflow's tracking REST API (/api/2.0/mlflow/...), in MLflow's own field names once serialized with
// snake_case (MlflowJson). Ids are strings, times are milliseconds since the epoch, as MLflow has them.

public sealed record MlflowTag(string? Key, string? Value);

public sealed record MlflowExperiment(
    string ExperimentId, string Name, string ArtifactLocation, string LifecycleStage, long LastUpdateTime, long CreationTime,
    IReadOnlyList<MlflowTag> Tags);

public sealed record MlflowMetric(string? Key, double? Value, long? Timestamp, long? Step);

public sealed record MlflowParam(string? Key, string? Value);

/// <summary>A point of <c>metrics/get-history-bulk-interval</c>: a metric point and the run it belongs to.</summary>
public sealed record MlflowRunMetric(string Key, double Value, long Timestamp, long Step, string RunId);

public sealed record MlflowRunInfo(
    string RunId, string RunUuid, string RunName, string ExperimentId, string UserId, string Status, long StartTime, long? EndTime,
    string ArtifactUri, string LifecycleStage);

public sealed record MlflowRunData(IReadOnlyList<MlflowMetric> Metrics, IReadOnlyList<MlflowParam> Params, IReadOnlyList<MlflowTag> Tags);

public sealed record MlflowRun(MlflowRunInfo Info, MlflowRunData Data, MlflowRunInputs Inputs);

public sealed record MlflowRunInputs;

public sealed record MlflowCreateExperiment(string? Name, string? ArtifactLocation = null, IReadOnlyList<MlflowTag>? Tags = null);

public sealed record MlflowExperimentId(string? ExperimentId);

public sealed record MlflowUpdateExperiment(string? ExperimentId, string? NewName);

public sealed record MlflowSetExperimentTag(string? ExperimentId, string? Key, string? Value);

public sealed record MlflowSearchExperiments(int? MaxResults = null, string? PageToken = null, string? Filter = null, IReadOnlyList<string>? OrderBy = null,
    string? ViewType = null);

public sealed record MlflowCreateRun(string? ExperimentId = null, string? UserId = null, string? RunName = null, long? StartTime = null,
    IReadOnlyList<MlflowTag>? Tags = null);

public sealed record MlflowRunId(string? RunId = null, string? RunUuid = null);

public sealed record MlflowUpdateRun(string? RunId = null, string? RunUuid = null, string? Status = null, long? EndTime = null, string? RunName = null);

public sealed record MlflowSearchRuns(IReadOnlyList<string>? ExperimentIds = null, string? Filter = null, string? RunViewType = null, int? MaxResults = null,
    IReadOnlyList<string>? OrderBy = null, string? PageToken = null);

public sealed record MlflowLogMetric(string? RunId = null, string? RunUuid = null, string? Key = null, double? Value = null, long? Timestamp = null, long? Step = null);

public sealed record MlflowLogBatch(string? RunId = null, IReadOnlyList<MlflowMetric>? Metrics = null, IReadOnlyList<MlflowParam>? Params = null,
    IReadOnlyList<MlflowTag>? Tags = null);

public sealed record MlflowLogParam(string? RunId = null, string? RunUuid = null, string? Key = null, string? Value = null);

public sealed record MlflowSetTag(string? RunId = null, string? RunUuid = null, string? Key = null, string? Value = null);

public sealed record MlflowDeleteTag(string? RunId = null, string? Key = null);
