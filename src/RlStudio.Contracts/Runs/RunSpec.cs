namespace RlStudio.Contracts.Runs;

/// <summary>
/// The validated, resolved description of what a run trains: stored with the run (JSONB) and handed to
/// the worker that claims it. <see cref="DatasetVersionId"/> pins the immutable data the run reads.
/// </summary>
public sealed record RunSpec(
    Algorithm Algorithm,
    long DatasetId,
    long DatasetVersionId,
    BaseModelSpec Base,
    IReadOnlyList<RewardSpec> Rewards,
    RunSettings Settings,
    long Seed);
