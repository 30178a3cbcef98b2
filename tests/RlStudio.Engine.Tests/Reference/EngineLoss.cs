using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// Each <see cref="LossVariant"/> computed the way the trainers compose the engine's public functions (in the model's dtype): the loss with
/// grad, and for policy variants the advantages.
/// </summary>
internal static class EngineLoss
{
    public static (Tensor Loss, Tensor? Advantages) Compute(LossVariant variant, CausalLm model, ScalarHead head, ParityBatch batch)
    {
        using var scope = NewDisposeScope();
        var (loss, advantages) = variant.Kind switch
        {
            VariantKind.Policy => Policy(variant, model, head, batch),
            VariantKind.Dpo or VariantKind.Ipo => (Preference(variant, model, batch), null),
            VariantKind.BradleyTerry => (BradleyTerry(variant, model, head, batch), null),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        return (loss.MoveToOuterDisposeScope(), advantages?.MoveToOuterDisposeScope());
    }

    /// <summary>PolicyGradientAlgorithm's update: RolloutAdvantages from the rollout's old log-probs, then PolicyLoss (+ PPO's value loss).</summary>
    private static (Tensor, Tensor) Policy(LossVariant v, CausalLm model, ScalarHead head, ParityBatch b)
    {
        var (logp, values) = ParityModel.TeacherForced(model, v.UsesHead ? head : null, b.Sequences, b.Attention, b.PromptLength,
            ParityBatch.Temperature);
        var mask = b.CompletionMask;
        var rewards = b.Rewards.to(b.Old.dtype);                                      // the model's dtype
        Tensor? returns = null;
        var advantages = v.Advantage switch
        {
            AdvantageKind.Grpo => GroupAdvantages.Grpo(b.Rewards, ParityBatch.GroupSize, v.Scale).Advantages.to(b.Old.dtype),
            AdvantageKind.Rloo => GroupAdvantages.Rloo(b.Rewards, ParityBatch.GroupSize).to(b.Old.dtype),
            AdvantageKind.ReinforcePp => ReinforcePlusPlus.Advantages(b.Old, b.Reference, mask, rewards, v.KlBeta),
            AdvantageKind.Ppo => GaeAdvantages(v, b, rewards, out returns),
            _ => throw new ArgumentOutOfRangeException(nameof(v)),
        };
        var result = PolicyLoss.Compute(logp, b.Old, b.Reference, advantages, mask, v.Loss, v.MaxLength);
        var loss = returns is null
            ? result.Loss
            : result.Loss + v.ValueCoef * RlStudio.Engine.Algorithms.Gae.ValueLoss(values!, b.OldValues, returns, mask, v.ValueClip);
        return (loss, advantages);
    }

    private static Tensor GaeAdvantages(LossVariant v, ParityBatch b, Tensor rewards, out Tensor returns)
    {
        var tokenRewards = ReinforcePlusPlus.TokenRewards(b.Old, b.Reference, b.CompletionMask, rewards, v.KlBeta);
        var (advantages, gaeReturns) = RlStudio.Engine.Algorithms.Gae.Compute(tokenRewards, b.OldValues, b.CompletionMask, v.Gamma, v.Lambda);
        returns = gaeReturns;
        return v.Whiten ? MaskedMath.Whiten(advantages, b.CompletionMask) : advantages;
    }

    /// <summary>PreferenceAlgorithm's DPO/IPO: summed completion log-probs, margin against the reference, mean over pairs.</summary>
    private static Tensor Preference(LossVariant v, CausalLm model, ParityBatch b)
    {
        var logp = b.SequenceLogProbs(model);
        var (k, r) = (b.Pairs, b.PairReference);
        var margin = PreferenceLoss.LogRatioMargin(logp.narrow(0, 0, k), r.narrow(0, 0, k), logp.narrow(0, k, k), r.narrow(0, k, k));
        var perPair = v.Kind == VariantKind.Dpo ? PreferenceLoss.Dpo(margin, v.PreferenceBeta) : PreferenceLoss.Ipo(margin, v.PreferenceBeta);
        return perPair.mean();
    }

    /// <summary>The reward model: the head's score at each row's last token, Bradley–Terry, mean over pairs.</summary>
    private static Tensor BradleyTerry(LossVariant v, CausalLm model, ScalarHead head, ParityBatch b)
    {
        var scores = b.PairScores(model, head);
        var k = b.Pairs;
        return PreferenceLoss.BradleyTerry(scores.narrow(0, 0, k), scores.narrow(0, k, k), v.Margin).mean();
    }
}
