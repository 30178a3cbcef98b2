namespace RlStudio.Contracts.Datasets;

/// <summary>
/// <c>GET /api/datasets/{nameOrId}/items?offset=&amp;limit=&amp;version=</c>: a page of one version's items in file order
/// (<see cref="Offset"/> is the first item's 0-based position; <see cref="Total"/> counts the whole version).
/// </summary>
public sealed record DatasetItemsPage(
    long DatasetId,
    string Name,
    long VersionId,
    int Version,
    DatasetKind Kind,
    int Total,
    int Offset,
    IReadOnlyList<DatasetItemDto> Items);
