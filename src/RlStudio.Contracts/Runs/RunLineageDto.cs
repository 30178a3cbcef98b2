namespace RlStudio.Contracts.Runs;

/// <summary>
/// Where a run's weights came from and which runs went on from it (<c>GET /api/runs/{id}/lineage</c>).
/// <see cref="Ancestors"/> runs from the run's direct parent up to the first run of the chain; <see cref="Origin"/> is
/// where that first run started (a preset or a model folder). <see cref="Descendants"/> are the runs that start from this
/// run or one of its checkpoints, oldest first (their own descendants are on their lineage).
/// </summary>
public sealed record RunLineageDto(long RunId, IReadOnlyList<LineageLink> Ancestors, BaseModelSpec Origin, IReadOnlyList<LineageLink> Descendants);

/// <summary>
/// One run of a lineage and the checkpoint the next run down the chain starts from: <see cref="CheckpointId"/> and
/// <see cref="CheckpointStep"/> are null when that run names the run itself as its base (<c>{"runId"}</c>: its newest
/// checkpoint when it started).
/// </summary>
public sealed record LineageLink(long RunId, string Name, Algorithm Algorithm, RunStatus Status, long? CheckpointId, int? CheckpointStep);
