using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Runs;

/// <summary>A <c>CreateRunRequest</c> that passed validation, with defaults filled in and references resolved.</summary>
public sealed record ValidatedRun(
    string Name, string Experiment, string Queue, int Priority, RunSpec Spec, string? Notes = null, IReadOnlyList<string>? Tags = null,
    Data.Entities.RunLaunch? Launch = null);
