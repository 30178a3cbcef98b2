using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Runs;

public sealed class DbRunReferences(RlStudioDbContext db) : IRunReferences
{
    public Task<DatasetDto?> FindDatasetAsync(string nameOrId, CancellationToken cancellationToken) =>
        db.FindDatasetAsync(nameOrId, cancellationToken);

    public Task<bool> CheckpointExistsAsync(long checkpointId, CancellationToken cancellationToken) =>
        db.Checkpoints.AnyAsync(c => c.Id == checkpointId, cancellationToken);

    public Task<bool> RunExistsAsync(long runId, CancellationToken cancellationToken) =>
        db.Runs.AnyAsync(r => r.Id == runId, cancellationToken);

    public async Task<long?> NewestCheckpointIdAsync(long runId, CancellationToken cancellationToken) =>
        (await db.NewestCheckpointAsync(runId, cancellationToken))?.Id;

    public async Task<Algorithm?> CheckpointAlgorithmAsync(long checkpointId, CancellationToken cancellationToken) =>
        await db.Checkpoints.Where(c => c.Id == checkpointId)
            .Join(db.Runs, c => c.RunId, r => r.Id, (_, r) => (Algorithm?)r.Algorithm)
            .SingleOrDefaultAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ModelRootsForQueueAsync(string queue, CancellationToken cancellationToken) =>
        db.ModelRootsForQueueAsync(queue, cancellationToken);

    public async Task<long?> FindRayClusterAsync(string? name, string? address, CancellationToken cancellationToken) =>
        name is not null
            ? await db.RayClusters.AsNoTracking().Where(c => c.Name == name).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken)
            : await db.RayClusters.AsNoTracking().Where(c => c.Address == address).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
}
