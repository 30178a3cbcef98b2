using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Training;

/// <summary>
/// The per-token advantages (B, T − 1) of a batch of episodes, per algorithm. GRPO and RLOO give every token of a turn its
/// turn's advantage (<see cref="EpisodeAdvantages"/>: the episode's group advantage, plus GiGPO's step term). REINFORCE++
/// and PPO work on token rewards: each turn's reward on its last agent token, − β·(log π − log π_ref) on every agent
/// token; REINFORCE++ takes the returns-to-go (γ = 1), PPO runs GAE on the value head's estimates. Both chain across the
/// observation tokens between turns (they are masked, not ends), so an earlier turn is credited with what followed it.
/// Owns its tensors.
/// </summary>
internal sealed class EpisodeCredit : IDisposable
{
    private EpisodeCredit(Tensor advantages, Tensor? returns, double[] perEpisode)
    {
        Advantages = advantages;
        Returns = returns;
        PerEpisode = perEpisode;
    }

    /// <summary>(B, T − 1) float, 0 outside the agent's tokens.</summary>
    public Tensor Advantages { get; }

    /// <summary>PPO: (B, T − 1) GAE returns (value targets); otherwise null.</summary>
    public Tensor? Returns { get; }

    /// <summary>Per episode, the mean advantage of its agent tokens (rollout records, advantage metrics).</summary>
    public double[] PerEpisode { get; }

    /// <param name="old">(B, T − 1) detached log-probs of the sampling policy.</param>
    /// <param name="reference">(B, T − 1) reference log-probs, or null when β = 0.</param>
    /// <param name="oldValues">PPO: (B, T − 1) detached values; otherwise null.</param>
    public static EpisodeCredit Compute(TrainerOptions options, AgentOptions agent, IReadOnlyList<Episode> episodes, EpisodeBatch batch,
        Tensor old, Tensor? reference, Tensor? oldValues)
    {
        using var scope = NewDisposeScope();
        var mask = batch.TargetMask;
        Tensor advantages;
        Tensor? returns = null;
        switch (options.Algorithm)
        {
            case TrainingAlgorithm.Grpo:
            case TrainingAlgorithm.Rloo:
                advantages = batch.PerToken(EpisodeAdvantages.Compute(episodes, options.GroupSize, agent.AdvantageMode, agent.StepAdvantageWeight,
                    leaveOneOut: options.Algorithm == TrainingAlgorithm.Rloo));
                break;
            case TrainingAlgorithm.ReinforcePp:
            {
                var rewards = TokenRewards(options, batch, TurnRewards(episodes, options.GroupBaseline ? options.GroupSize : 0), old, reference);
                var toGo = rewards.flip(1).cumsum(1).flip(1) * mask;                       // G_t = Σ_{s≥t} r_s over agent tokens
                advantages = MaskedMath.Whiten(toGo, mask);
                break;
            }
            case TrainingAlgorithm.Ppo:
            {
                if (oldValues is null) throw new InvalidOperationException("PPO needs the episodes' values.");
                var rewards = TokenRewards(options, batch, TurnRewards(episodes, 0), old, reference);
                var (gae, gaeReturns) = Gae.Compute(rewards, oldValues, mask, options.Gamma, options.Lambda);
                advantages = options.WhitenAdvantages ? MaskedMath.Whiten(gae, mask) : gae;
                returns = gaeReturns;
                break;
            }
            default:
                throw new InvalidOperationException($"{options.Algorithm} does not train on episodes with rewards.");
        }
        using var perEpisode = MaskedMath.Mean(advantages, mask, 1).to(ScalarType.Float64).cpu();
        return new EpisodeCredit(advantages.MoveToOuterDisposeScope(), returns?.MoveToOuterDisposeScope(), perEpisode.data<double>().ToArray());
    }

    /// <summary>
    /// Each episode's turn rewards; with a group size, the last turn's less the mean return of its group (REINFORCE++'s
    /// group baseline: the returns-to-go of every turn then count from the group's mean).
    /// </summary>
    private static double[][] TurnRewards(IReadOnlyList<Episode> episodes, int baselineGroupSize)
    {
        var rewards = episodes.Select(e => e.Turns.Select(t => t.Reward).ToArray()).ToArray();
        if (baselineGroupSize < 1) return rewards;
        for (var group = 0; group < episodes.Count / baselineGroupSize; group++)
        {
            var members = Enumerable.Range(group * baselineGroupSize, baselineGroupSize).ToArray();
            var mean = members.Average(i => episodes[i].Return);
            foreach (var i in members.Where(i => rewards[i].Length > 0)) rewards[i][^1] -= mean;
        }
        return rewards;
    }

    /// <summary>r_t = −β·(log π_old − log π_ref) on agent tokens, plus each turn's reward on its last token: (B, T − 1).</summary>
    private static Tensor TokenRewards(TrainerOptions options, EpisodeBatch batch, double[][] turnRewards, Tensor old, Tensor? reference)
    {
        var kl = reference is null ? zeros_like(old) : (old - reference) * (-options.Beta);
        return kl * batch.TargetMask + batch.AtTurnEnds(turnRewards);
    }

    public void Dispose()
    {
        Advantages.Dispose();
        Returns?.Dispose();
    }
}
