using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;

namespace RlStudio.Worker.Training;

/// <summary>Maps a validated run spec (wire vocabulary) to the engine's trainer options.</summary>
public static class TrainerOptionsMapper
{
    public static TrainerOptions Map(RunSpec spec)
    {
        var s = spec.Settings;
        return new TrainerOptions
        {
            Algorithm = Map(spec.Algorithm),
            Steps = s.Steps,
            BatchSize = s.BatchSize,
            LearningRate = s.LearningRate,
            MaxNewTokens = s.MaxNewTokens,
            Temperature = s.Temperature,
            GroupSize = s.GroupSize,
            Beta = s.Beta,
            ClipEpsilon = s.ClipEpsilon,
            ClipEpsilonLow = s.ClipEpsilonLow,
            ClipEpsilonHigh = s.ClipEpsilonHigh,
            PolicyUpdatesPerBatch = s.PolicyUpdatesPerBatch,
            MiniBatches = s.MiniBatches,
            ImportanceLevel = s.ImportanceLevel switch
            {
                ImportanceLevelSetting.Token => RatioLevel.Token,
                ImportanceLevelSetting.Sequence => RatioLevel.Sequence,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), s.ImportanceLevel, null),
            },
            Aggregation = s.LossAggregation switch
            {
                LossAggregationSetting.SequenceMean => LossAggregation.SequenceMean,
                LossAggregationSetting.TokenMean => LossAggregation.TokenMean,
                LossAggregationSetting.DrGrpo => LossAggregation.DrGrpo,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), s.LossAggregation, null),
            },
            AdvantageScale = s.AdvantageScale switch
            {
                AdvantageScaleSetting.Group => AdvantageScale.Group,
                AdvantageScaleSetting.Batch => AdvantageScale.Batch,
                AdvantageScaleSetting.None => AdvantageScale.None,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), s.AdvantageScale, null),
            },
            GroupBaseline = s.GroupBaseline,
            Gamma = s.Gamma,
            Lambda = s.Lambda,
            ValueClipEpsilon = s.ValueClipEpsilon,
            ValueLossCoef = s.ValueLossCoef,
            WhitenAdvantages = s.WhitenAdvantages,
            PreferenceBeta = s.PreferenceBeta,
            RewardMargin = s.RewardMargin,
            WeightDecay = s.WeightDecay,
            MaxGradNorm = s.MaxGradNorm,
            TopK = s.TopK,
            TopP = s.TopP,
            EvalEvery = s.EvalEvery,
            EvalFraction = s.EvalFraction,
            EvalSamples = s.EvalSamples,
            PassK = s.PassK,
            Precision = s.Precision switch
            {
                PrecisionSetting.Float32 => Precision.Float32,
                PrecisionSetting.Bfloat16 => Precision.BFloat16,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), s.Precision, null),
            },
            Lora = s.LoraRank > 0 ? new LoraOptions { Rank = s.LoraRank, Alpha = s.LoraAlpha, TargetModules = [.. s.LoraTargets] } : null,
            Seed = spec.Seed,
        };
    }

    public static TrainingAlgorithm Map(Algorithm algorithm) => algorithm switch
    {
        Algorithm.Sft => TrainingAlgorithm.Sft,
        Algorithm.Grpo => TrainingAlgorithm.Grpo,
        Algorithm.Rloo => TrainingAlgorithm.Rloo,
        Algorithm.ReinforcePp => TrainingAlgorithm.ReinforcePp,
        Algorithm.Ppo => TrainingAlgorithm.Ppo,
        Algorithm.Dpo => TrainingAlgorithm.Dpo,
        Algorithm.Ipo => TrainingAlgorithm.Ipo,
        Algorithm.RewardModel => TrainingAlgorithm.RewardModel,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
    };
}
