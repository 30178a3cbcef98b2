namespace RlStudio.Contracts.Runs;

/// <summary>
/// A run as the API returns it. <see cref="Notes"/> and <see cref="Tags"/> are the user's, editable at any time. An
/// external run (<see cref="Algorithm.External"/>, reported through the MLflow API) has no dataset (null) and its MLflow
/// params in <see cref="Params"/>. <see cref="Warnings"/> say what keeps it from going on (a queued run that no online
/// worker's queue serves). <see cref="Alarms"/> are the kinds of alarm raised for it (<see cref="AlarmKinds"/>; details from
/// <c>GET /api/runs/{id}/alarms</c>).
/// </summary>
public sealed record RunDto(
    long Id,
    string Name,
    string Experiment,
    Algorithm Algorithm,
    RunStatus Status,
    int Step,
    int TotalSteps,
    string Queue,
    int Priority,
    long Seed,
    long? DatasetId,
    string? DatasetName,
    BaseModelSpec Base,
    IReadOnlyList<RewardSpec> Rewards,
    RunSettings Settings,
    string? Worker,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, double> LatestMetrics,
    string? Notes = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Params = null,
    Launchers.RunLaunchDto? Launch = null,
    IReadOnlyList<string>? Warnings = null,
    IReadOnlyList<string>? Alarms = null);
