using RlStudio.Contracts.Runs;
using RlStudio.Engine;

namespace RlStudio.Worker.Training;

/// <summary>Maps a validated run spec (wire vocabulary) to the engine's trainer options.</summary>
public static class TrainerOptionsMapper
{
    public static TrainerOptions Map(RunSpec spec)
    {
        var s = spec.Settings;
        return new TrainerOptions
        {
            Algorithm = spec.Algorithm switch
            {
                Algorithm.Sft => TrainingAlgorithm.Sft,
                Algorithm.Grpo => TrainingAlgorithm.Grpo,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Algorithm, "Unknown algorithm."),
            },
            Steps = s.Steps,
            BatchSize = s.BatchSize,
            LearningRate = s.LearningRate,
            MaxNewTokens = s.MaxNewTokens,
            Temperature = s.Temperature,
            GroupSize = s.GroupSize,
            Beta = s.Beta,
            ClipEpsilon = s.ClipEpsilon,
            Seed = spec.Seed,
        };
    }
}
