using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Runs;

/// <summary>What <see cref="RunRequestValidator"/> looks up in the store (an interface so tests can fake it).</summary>
public interface IRunReferences
{
    /// <summary>A dataset by name, or by id when the text is a number.</summary>
    Task<DatasetDto?> FindDatasetAsync(string nameOrId, CancellationToken cancellationToken);

    Task<bool> CheckpointExistsAsync(long checkpointId, CancellationToken cancellationToken);

    Task<bool> RunExistsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>The newest checkpoint of a run, or null when the run does not exist or has none.</summary>
    Task<long?> NewestCheckpointIdAsync(long runId, CancellationToken cancellationToken);

    /// <summary>The algorithm of the run that wrote a checkpoint, or null when the checkpoint does not exist.</summary>
    Task<Algorithm?> CheckpointAlgorithmAsync(long checkpointId, CancellationToken cancellationToken);

    /// <summary>The model roots of the worker nodes that serve <paramref name="queue"/>.</summary>
    Task<IReadOnlyList<string>> ModelRootsForQueueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The id of the registered Ray cluster with this name, or (name null) this exact address; null when there is none.</summary>
    Task<long?> FindRayClusterAsync(string? name, string? address, CancellationToken cancellationToken);
}
