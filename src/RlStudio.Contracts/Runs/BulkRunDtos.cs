namespace RlStudio.Contracts.Runs;

/// <summary>
/// Body of <c>POST /api/runs/bulk</c>: one <see cref="Action"/> (<c>cancel</c>, <c>tag</c> or <c>delete</c>) on
/// several runs, each as its single-run endpoint would do it (same permissions, audit and refusals). <see cref="Tag"/>
/// is the tag to add, for <c>tag</c> only.
/// </summary>
public sealed record BulkRunRequest(string? Action, IReadOnlyList<long>? Ids, string? Tag = null);

/// <summary>
/// What a bulk action did: the runs it changed, and each run it left alone with the reason its single-run endpoint gave
/// (a finished run cannot be cancelled, only its owner or an Admin may delete it, …). Ids in the order given.
/// </summary>
public sealed record BulkRunResult(string Action, IReadOnlyList<long> Done, IReadOnlyList<BulkRunSkip> Skipped);

/// <summary>A run a bulk action left alone, and why.</summary>
public sealed record BulkRunSkip(long RunId, string Reason);
