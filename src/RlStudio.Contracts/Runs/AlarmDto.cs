namespace RlStudio.Contracts.Runs;

/// <summary>
/// A run alarm: one of the ways RL runs fail, seen in its metrics (<see cref="AlarmKinds"/>), with the step it was first
/// seen at and what was seen, in words. Each kind is raised once per run.
/// </summary>
public sealed record AlarmDto(long Id, long RunId, string Kind, int Step, string Message, DateTimeOffset RaisedAt);

/// <summary>The alarm kinds, as on the wire.</summary>
public static class AlarmKinds
{
    /// <summary>Training reward rising while a held-out evaluation falls: the policy learns the reward, not the task.</summary>
    public const string RewardEvalDivergence = "reward_eval_divergence";

    /// <summary>Reward rising with completion length or the share of completions cut at the token limit: length hacking.</summary>
    public const string LengthHacking = "length_hacking";

    /// <summary>Policy entropy below a threshold: sampling has become (nearly) greedy, exploration is gone.</summary>
    public const string EntropyCollapse = "entropy_collapse";

    /// <summary>KL to the reference above a threshold: the policy has drifted far from where it started.</summary>
    public const string KlHigh = "kl_high";

    /// <summary>Few distinct completions per group: the outputs have collapsed (e.g. one string G times).</summary>
    public const string DiversityCollapse = "diversity_collapse";

    /// <summary>A gradient norm far above its recent median.</summary>
    public const string GradSpike = "grad_spike";

    public static IReadOnlyList<string> All { get; } = [RewardEvalDivergence, LengthHacking, EntropyCollapse, KlHigh, DiversityCollapse, GradSpike];
}
