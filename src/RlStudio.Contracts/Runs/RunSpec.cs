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
    long Seed)
{
    /// <summary>The spec of a run RL Studio does not train (<see cref="Algorithm.External"/>): no dataset, base, rewards or settings of its own.</summary>
    public static RunSpec External { get; } = new(Algorithm.External, 0, 0, new BaseModelSpec(), [], new RunSettings { Steps = 0 }, 0);
}
