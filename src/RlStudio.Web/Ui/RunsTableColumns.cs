using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Ui;

/// <summary>
/// The runs table's optional columns (the name and the tick box are always there; metric columns come from
/// <see cref="RunsListView.Metrics"/>): an id for the address, a title, and the sort it offers, if any.
/// </summary>
public static class RunsTableColumns
{
    public sealed record Column(string Id, string Title, RunSortField? SortField);

    public static readonly IReadOnlyList<Column> All =
    [
        new("experiment", "Experiment", RunSortField.Experiment),
        new("algorithm", "Algorithm", RunSortField.Algorithm),
        new("status", "Status", RunSortField.Status),
        new("progress", "Progress", RunSortField.Step),
        new("queue", "Queue", null),
        new("dataset", "Dataset", null),
        new("created", "Created", RunSortField.Created),
    ];

    public static readonly IReadOnlyList<string> Ids = [.. All.Select(c => c.Id)];

    /// <summary>What the table showed before columns could be chosen (every column but queue and dataset).</summary>
    public static readonly IReadOnlyList<string> Defaults = [.. Ids.Where(id => id is not ("queue" or "dataset"))];
}
