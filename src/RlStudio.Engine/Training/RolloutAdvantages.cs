using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Rewards;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// Advantages of a scored rollout per algorithm: one per completion (GRPO, RLOO) or one per token
/// (REINFORCE++, PPO, whose returns also come back). Completions no reward function could score get
/// advantage 0 (TRL semantics). Owns its tensors.
/// </summary>
internal sealed class RolloutAdvantages : IDisposable
{
    private RolloutAdvantages(Tensor advantages, Tensor? returns, double[] perCompletion)
    {
        Advantages = advantages;
        Returns = returns;
        PerCompletion = perCompletion;
    }

    /// <summary>(B) or (B, N) float on the training device.</summary>
    public Tensor Advantages { get; }

    /// <summary>PPO: (B, N) GAE returns (value targets); otherwise null.</summary>
    public Tensor? Returns { get; }

    /// <summary>Per completion, for rollout records (token-level: the mean over its tokens).</summary>
    public IReadOnlyList<double> PerCompletion { get; }

    /// <param name="old">(B, N) detached log-probs of the sampling policy.</param>
    /// <param name="reference">(B, N) reference log-probs, or null when β = 0.</param>
    /// <param name="oldValues">(B, N) detached values (PPO), else null.</param>
    public static RolloutAdvantages Compute(TrainerOptions options, RewardBatch scored, Tensor old, Tensor? reference,
        Tensor? oldValues, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var rewards = tensor(scored.Combined.ToArray(), dtype: ScalarType.Float64);
        var scorable = tensor(scored.Unscorable.Select(u => u ? 0.0 : 1.0).ToArray(), dtype: ScalarType.Float64);
        var device = old.device;
        Tensor advantages;
        Tensor? returns = null;
        switch (options.Algorithm)
        {
            case TrainingAlgorithm.Grpo:
                advantages = (GroupAdvantages.Grpo(rewards, options.GroupSize, options.AdvantageScale).Advantages * scorable)
                    .to(old.dtype).to(device);
                break;
            case TrainingAlgorithm.Rloo:
                advantages = (GroupAdvantages.Rloo(rewards, options.GroupSize) * scorable).to(old.dtype).to(device);
                break;
            case TrainingAlgorithm.ReinforcePp:
            {
                var sequenceRewards = options.GroupBaseline
                    ? GroupAdvantages.Grpo(rewards, options.GroupSize, AdvantageScale.None).Advantages
                    : rewards;
                var whitened = ReinforcePlusPlus.Advantages(old, reference ?? old, mask, sequenceRewards.to(old.dtype).to(device), options.Beta);
                advantages = whitened * scorable.to(old.dtype).to(device).unsqueeze(1);
                break;
            }
            case TrainingAlgorithm.Ppo:
            {
                if (oldValues is null) throw new InvalidOperationException("PPO needs the rollout's values.");
                var tokenRewards = ReinforcePlusPlus.TokenRewards(old, reference ?? old, mask, rewards.to(old.dtype).to(device), options.Beta);
                var (gae, gaeReturns) = Gae.Compute(tokenRewards, oldValues, mask, options.Gamma, options.Lambda);
                var shaped = options.WhitenAdvantages ? MaskedMath.Whiten(gae, mask) : gae;
                advantages = shaped * scorable.to(old.dtype).to(device).unsqueeze(1);
                returns = gaeReturns;
                break;
            }
            case TrainingAlgorithm.Sft:
            case TrainingAlgorithm.Dpo:
            case TrainingAlgorithm.Ipo:
            case TrainingAlgorithm.RewardModel:
                throw new InvalidOperationException($"{options.Algorithm} has no rollout advantages.");
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, null);
        }
        var perCompletion = advantages.dim() == 1 ? advantages : MaskedMath.Mean(advantages, mask, 1);
        using var perCompletionCpu = perCompletion.to(ScalarType.Float64).cpu();
        var values = perCompletionCpu.data<double>().ToArray();
        return new RolloutAdvantages(advantages.MoveToOuterDisposeScope(), returns?.MoveToOuterDisposeScope(), values);
    }

    /// <summary>Share of groups whose combined rewards are all equal (0 with groups of one).</summary>
    public static double FracZeroStd(IReadOnlyList<double> rewards, int groupSize)
    {
        if (groupSize < 2) return 0;
        var groups = rewards.Count / groupSize;
        var flat = 0;
        for (var g = 0; g < groups; g++)
        {
            var group = rewards.Skip(g * groupSize).Take(groupSize).ToArray();
            if (group.Max() - group.Min() < 1e-8) flat++;
        }
        return groups == 0 ? 0 : (double)flat / groups;
    }

    public void Dispose()
    {
        Advantages.Dispose();
        Returns?.Dispose();
    }
}
