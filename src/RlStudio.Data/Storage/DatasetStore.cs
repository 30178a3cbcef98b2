using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Storage;

/// <summary>Datasets and their immutable versions.</summary>
public static class DatasetStore
{
    /// <summary>
    /// Stores <paramref name="items"/> as a new version of dataset <paramref name="name"/> (created when new).
    /// When the newest version already has exactly this content, no version is added and that one is returned.
    /// All or nothing (one transaction). <paramref name="kind"/> must match the dataset's existing versions
    /// (<see cref="DatasetKindMismatchException"/> otherwise).
    /// </summary>
    public static async Task<DatasetDto> AddVersionAsync(
        this RlStudioDbContext db, string name, IReadOnlyList<NewDatasetItem> items, CancellationToken cancellationToken,
        DatasetKind kind = DatasetKind.Prompts, long? createdBy = null, long? sourceBatchId = null)
    {
        var hash = DatasetContentHash.Compute(items);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Name == name, cancellationToken);
        if (dataset is null)
        {
            dataset = new Dataset { Name = name, CreatedAt = DateTimeOffset.UtcNow, CreatedById = createdBy };
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(cancellationToken);
        }
        var newest = await db.DatasetVersions.Where(v => v.DatasetId == dataset.Id)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        if (newest is not null && newest.Kind != kind)
        {
            throw new DatasetKindMismatchException(name, newest.Kind, kind);
        }
        if (newest is not null && newest.ContentHash == hash)
        {
            await transaction.CommitAsync(cancellationToken);
            return ToDto(dataset, newest);
        }
        var version = new DatasetVersion
        {
            DatasetId = dataset.Id,
            Version = (newest?.Version ?? 0) + 1,
            ItemCount = items.Count,
            Kind = kind,
            ContentHash = hash,
            CreatedAt = DateTimeOffset.UtcNow,
            SourceBatchId = sourceBatchId,
            Items = items.Select((item, ordinal) => new DatasetItem
            {
                Ordinal = ordinal,
                Prompt = item.Prompt,
                Reference = item.Reference,
                Chosen = item.Chosen,
                Rejected = item.Rejected,
                Metadata = item.Metadata,
            }).ToList(),
        };
        db.DatasetVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ToDto(dataset, version);
    }

    /// <summary>Every dataset with its newest version, by name.</summary>
    public static Task<List<DatasetDto>> ListDatasetsAsync(this RlStudioDbContext db, CancellationToken cancellationToken) =>
        Project(NewestVersions(db).OrderBy(v => v.Dataset!.Name)).ToListAsync(cancellationToken);

    /// <summary>A dataset by name, or by id when <paramref name="nameOrId"/> is a number (a name wins over an id).</summary>
    public static async Task<DatasetDto?> FindDatasetAsync(this RlStudioDbContext db, string nameOrId, CancellationToken cancellationToken) =>
        await Project(NewestVersions(db).Where(v => v.Dataset!.Name == nameOrId)).FirstOrDefaultAsync(cancellationToken)
        ?? (long.TryParse(nameOrId, out var id)
            ? await Project(NewestVersions(db).Where(v => v.DatasetId == id)).FirstOrDefaultAsync(cancellationToken)
            : null);

    public static async Task<IReadOnlyList<DatasetItemDto>?> GetItemsAsync(this RlStudioDbContext db, long versionId, CancellationToken cancellationToken)
    {
        if (!await db.DatasetVersions.AnyAsync(v => v.Id == versionId, cancellationToken))
        {
            return null;
        }
        return await db.DatasetItems.AsNoTracking().Where(i => i.DatasetVersionId == versionId).OrderBy(i => i.Ordinal)
            .Select(i => new DatasetItemDto(i.Prompt, i.Reference, i.Chosen, i.Rejected, i.Metadata)).ToListAsync(cancellationToken);
    }

    /// <summary>Version <paramref name="version"/> of a dataset, or null when there is no such version.</summary>
    public static Task<DatasetDto?> FindVersionAsync(this RlStudioDbContext db, long datasetId, int version, CancellationToken cancellationToken) =>
        Project(db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId && v.Version == version)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A page of a version's items: <paramref name="limit"/> items from position <paramref name="offset"/> in file order.</summary>
    public static async Task<DatasetItemsPage> GetItemsPageAsync(
        this RlStudioDbContext db, DatasetDto version, int offset, int limit, CancellationToken cancellationToken)
    {
        var items = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetVersionId == version.VersionId).OrderBy(i => i.Ordinal)
            .Skip(offset).Take(limit)
            .Select(i => new DatasetItemDto(i.Prompt, i.Reference, i.Chosen, i.Rejected, i.Metadata)).ToListAsync(cancellationToken);
        return new DatasetItemsPage(version.Id, version.Name, version.VersionId, version.Version, version.Kind, version.ItemCount, offset, items);
    }

    /// <summary>A version's items in file order, streamed.</summary>
    public static IAsyncEnumerable<DatasetItem> StreamItemsAsync(this RlStudioDbContext db, long versionId) =>
        db.DatasetItems.AsNoTracking().Where(i => i.DatasetVersionId == versionId).OrderBy(i => i.Ordinal).AsAsyncEnumerable();

    private static IQueryable<DatasetVersion> NewestVersions(RlStudioDbContext db) =>
        db.DatasetVersions.AsNoTracking()
            .Where(v => v.Version == db.DatasetVersions.Where(other => other.DatasetId == v.DatasetId).Max(other => other.Version));

    private static IQueryable<DatasetDto> Project(IQueryable<DatasetVersion> versions) =>
        versions.Select(v => new DatasetDto(v.DatasetId, v.Dataset!.Name, v.Id, v.Version, v.ItemCount, v.ContentHash, v.CreatedAt, v.Kind, v.SourceBatchId));

    private static DatasetDto ToDto(Dataset dataset, DatasetVersion version) =>
        new(dataset.Id, dataset.Name, version.Id, version.Version, version.ItemCount, version.ContentHash, version.CreatedAt, version.Kind, version.SourceBatchId);

    /// <summary>
    /// Deletes a dataset with every version and item (ON DELETE CASCADE). False when a run trains on it — also one created
    /// meanwhile, which the foreign key catches.
    /// </summary>
    public static async Task<bool> DeleteDatasetAsync(this RlStudioDbContext db, long datasetId, CancellationToken cancellationToken)
    {
        try
        {
            await db.Datasets.Where(d => d.Id == datasetId).ExecuteDeleteAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when ((e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation)
        {
            return false;
        }
    }
}
