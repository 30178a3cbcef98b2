using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// DPO, IPO and reward-model training on preference pairs. DPO/IPO: summed completion log-probs of chosen and
/// rejected under the policy and the frozen reference → implicit rewards β·(logp − ref) → loss on their margin.
/// Reward model: Bradley–Terry on the scalar head's score at the last token. Accuracy counts chosen &gt; rejected.
/// </summary>
internal sealed class PreferenceAlgorithm(TrainerOptions options) : ITrainingAlgorithm<PreferenceExample>
{
    public int ExamplesPerStep => options.BatchSize;

    private string LossKey => options.Algorithm switch
    {
        TrainingAlgorithm.Dpo => MetricKeys.LossDpo,
        TrainingAlgorithm.Ipo => MetricKeys.LossIpo,
        TrainingAlgorithm.RewardModel => MetricKeys.LossRewardModel,
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, "Not a preference algorithm."),
    };

    public StepOutcome Step(TrainingContext context, IReadOnlyList<PreferenceExample> batch)
    {
        using var pairs = CompletionBatch.Pairs(context.Tokenizer, batch, context.Device, context.Policy.Config.MaxSeq);
        var (losses, chosen, rejected, preference) = Forward(context, pairs, batch.Count);
        using var perPair = losses;
        using var chosenRewards = chosen;
        using var rejectedRewards = rejected;
        using var _ = preference;
        using var loss = perPair.mean();
        var gradNorm = Optimization.Update(context, loss);

        using var margin = chosenRewards - rejectedRewards;
        using var accuracy = Accuracy(margin);
        using var chosenMean = chosenRewards.mean();
        using var rejectedMean = rejectedRewards.mean();
        using var marginMean = margin.mean();
        var metrics = new Dictionary<string, double>
        {
            [LossKey] = loss.item<float>(),
            [MetricKeys.RewardsAccuracy] = accuracy.item<float>(),
            [MetricKeys.RewardsChosen] = chosenMean.item<float>(),
            [MetricKeys.RewardsRejected] = rejectedMean.item<float>(),
            [MetricKeys.RewardsMargin] = marginMean.item<float>(),
            [MetricKeys.OptimGradNorm] = gradNorm,
        };
        var tokens = pairs.Tokens.shape[0] * pairs.Tokens.shape[1];
        return new StepOutcome(metrics, [], tokens);
    }

    /// <summary>Held-out loss and accuracy, in chunks of <see cref="EvalChunkPairs"/> pairs so a large held-out set fits in memory.</summary>
    public void Evaluate(TrainingContext context, IReadOnlyList<PreferenceExample> heldOut, int step, Dictionary<string, double> metrics)
    {
        using var noGrad = no_grad();
        double lossSum = 0, wins = 0, policyWins = 0;
        foreach (var chunk in heldOut.Chunk(EvalChunkPairs))
        {
            using var pairs = CompletionBatch.Pairs(context.Tokenizer, chunk, context.Device, context.Policy.Config.MaxSeq);
            var (losses, chosen, rejected, preference) = Forward(context, pairs, chunk.Length);
            using var perPair = losses;
            using var chosenRewards = chosen;
            using var rejectedRewards = rejected;
            using var policyMargin = preference;
            using var lossTotal = perPair.sum();
            using var margin = chosenRewards - rejectedRewards;
            using var accuracy = Accuracy(margin);
            using var policyAccuracy = Accuracy(policyMargin);
            lossSum += lossTotal.item<float>();
            wins += accuracy.item<float>() * chunk.Length;
            policyWins += policyAccuracy.item<float>() * chunk.Length;
        }
        metrics[MetricKeys.EvalLoss] = lossSum / heldOut.Count;
        metrics[MetricKeys.EvalAccuracy] = wins / heldOut.Count;
        if (options.Algorithm is TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo) metrics[MetricKeys.EvalLogpAccuracy] = policyWins / heldOut.Count;
    }

    /// <summary>Held-out pairs scored per forward pass.</summary>
    private const int EvalChunkPairs = 32;

    /// <summary>Share of pairs whose chosen reward is strictly above the rejected one.</summary>
    private static Tensor Accuracy(Tensor margin)
    {
        using var wins = margin.gt(0).to(ScalarType.Float32);
        return wins.mean();
    }

    /// <summary>
    /// Per-pair losses (with grad), detached chosen/rejected rewards and the policy's own preference margin (DPO/IPO:
    /// logp(chosen) − logp(rejected); reward model: the score margin), each (pairs).
    /// </summary>
    private (Tensor Losses, Tensor Chosen, Tensor Rejected, Tensor Preference) Forward(TrainingContext context, CompletionBatch pairs, int count)
    {
        using var scope = NewDisposeScope();
        Tensor losses, chosen, rejected, preference;
        switch (options.Algorithm)
        {
            case TrainingAlgorithm.Dpo:
            case TrainingAlgorithm.Ipo:
            {
                var logp = pairs.SequenceLogProbs(context.Compute);                                  // (2·pairs)
                Tensor refLogp;
                using (no_grad()) refLogp = context.OnReference(pairs.SequenceLogProbs);
                var (logpW, logpL) = (logp.narrow(0, 0, count), logp.narrow(0, count, count));
                var (refW, refL) = (refLogp.narrow(0, 0, count), refLogp.narrow(0, count, count));
                var margin = PreferenceLoss.LogRatioMargin(logpW, refW, logpL, refL);
                losses = options.Algorithm == TrainingAlgorithm.Dpo
                    ? PreferenceLoss.Dpo(margin, options.PreferenceBeta)
                    : PreferenceLoss.Ipo(margin, options.PreferenceBeta);
                chosen = PreferenceLoss.ImplicitReward(logpW.detach(), refW, options.PreferenceBeta);
                rejected = PreferenceLoss.ImplicitReward(logpL.detach(), refL, options.PreferenceBeta);
                preference = (logpW - logpL).detach();
                break;
            }
            case TrainingAlgorithm.RewardModel:
            {
                var head = context.Head ?? throw new InvalidOperationException("Reward-model training needs a scalar head.");
                var scores = pairs.LastTokenScores(context.Compute, head);                           // (2·pairs)
                var (scoreW, scoreL) = (scores.narrow(0, 0, count), scores.narrow(0, count, count));
                losses = PreferenceLoss.BradleyTerry(scoreW, scoreL, options.RewardMargin);
                chosen = scoreW.detach();
                rejected = scoreL.detach();
                preference = (scoreW - scoreL).detach();
                break;
            }
            case TrainingAlgorithm.Sft:
            case TrainingAlgorithm.Grpo:
            case TrainingAlgorithm.Rloo:
            case TrainingAlgorithm.ReinforcePp:
            case TrainingAlgorithm.Ppo:
                throw new InvalidOperationException($"{options.Algorithm} does not train on preference pairs.");
            default:
                throw new ArgumentOutOfRangeException(nameof(context), options.Algorithm, null);
        }
        return (losses.MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope(), rejected.MoveToOuterDisposeScope(),
            preference.MoveToOuterDisposeScope());
    }
}
