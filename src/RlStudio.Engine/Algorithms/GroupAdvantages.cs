using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>Advantages of G completions per prompt, from their rewards alone (no value model).</summary>
public static class GroupAdvantages
{
    /// <summary>Added to the std, as in TRL.</summary>
    public const double StdEpsilon = 1e-4;

    /// <summary>
    /// GRPO: A_i = (r_i − mean(group)) / (std + 1e-4), std unbiased, per <paramref name="scale"/>.
    /// Rewards (N) are laid out group by group (N = groups × groupSize). Also returns the share of
    /// groups whose rewards are all equal.
    /// </summary>
    public static (Tensor Advantages, double FracZeroStd) Grpo(Tensor rewards, int groupSize, AdvantageScale scale)
    {
        CheckShape(rewards, groupSize);
        using var grouped = rewards.view(-1, groupSize);                  // (groups, G)
        using var mean = grouped.mean([1L], keepdim: true);
        using var groupStd = grouped.std(1, unbiased: true, keepdim: true);
        using var centered = grouped - mean;
        using var zeroStd = groupStd.abs().lt(1e-8).to(ScalarType.Float64);
        var fracZeroStd = zeroStd.mean().item<double>();
        using var scaled = scale switch
        {
            AdvantageScale.Group => centered / (groupStd + StdEpsilon),
            AdvantageScale.Batch => centered / (rewards.std(unbiased: true) + StdEpsilon),
            AdvantageScale.None => centered.alias(),
            _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, null),
        };
        return (scaled.reshape(-1), fracZeroStd);
    }

    /// <summary>RLOO: A_i = r_i − mean of the other k − 1 rewards of its group.</summary>
    public static Tensor Rloo(Tensor rewards, int groupSize)
    {
        CheckShape(rewards, groupSize);
        if (groupSize < 2) throw new ArgumentException("RLOO needs at least 2 completions per group.", nameof(groupSize));
        using var grouped = rewards.view(-1, groupSize);
        using var total = grouped.sum(1, keepdim: true);
        using var others = (total - grouped) / (groupSize - 1);
        using var advantages = grouped - others;
        return advantages.reshape(-1);
    }

    private static void CheckShape(Tensor rewards, int groupSize)
    {
        if (rewards.dim() != 1) throw new ArgumentException("Rewards must be a 1-D tensor.", nameof(rewards));
        if (groupSize < 1 || rewards.shape[0] % groupSize != 0)
            throw new ArgumentException($"{rewards.shape[0]} rewards do not split into groups of {groupSize}.", nameof(groupSize));
    }
}
