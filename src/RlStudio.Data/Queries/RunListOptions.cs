using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Queries;

/// <summary>
/// A validated request for a page of the runs list: filters (status, experiment name, exact tag, words in the name or a
/// tag), the order (<see cref="RunListSort"/>) and the window (<see cref="Offset"/>, <see cref="Limit"/>).
/// </summary>
public sealed record RunListOptions(
    RunStatus? Status = null,
    string? Experiment = null,
    string? Tag = null,
    string? Search = null,
    RunListSort? Sort = null,
    int Offset = 0,
    int Limit = RunListOptions.DefaultLimit)
{
    /// <summary>A page's size when none is asked for (what <c>GET /api/runs</c> always returned).</summary>
    public const int DefaultLimit = 200;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;
}

/// <summary>One page of the runs list and how many runs match its filters in all.</summary>
public sealed record RunListPage(List<RunDto> Runs, int Total);
