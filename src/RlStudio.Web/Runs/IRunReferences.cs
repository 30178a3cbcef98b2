using RlStudio.Contracts.Datasets;

namespace RlStudio.Web.Runs;

/// <summary>What <see cref="RunRequestValidator"/> looks up in the store (an interface so tests can fake it).</summary>
public interface IRunReferences
{
    /// <summary>A dataset by name, or by id when the text is a number.</summary>
    Task<DatasetDto?> FindDatasetAsync(string nameOrId, CancellationToken cancellationToken);

    Task<bool> CheckpointExistsAsync(long checkpointId, CancellationToken cancellationToken);

    Task<bool> RunExistsAsync(long runId, CancellationToken cancellationToken);
}
