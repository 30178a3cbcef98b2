using RlStudio.Contracts.Models;
using RlStudio.Contracts.Runs;
using RlStudio.Engine.Model;

namespace RlStudio.Engine.Tests.Training;

/// <summary>The web host's pre-queue estimate (Contracts) must equal the engine's, preset shapes included.</summary>
public sealed class MemoryEstimateParityTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    public void PresetShape_MatchesEngineModelConfig(string preset)
    {
        var config = ModelConfig.FromPreset(preset);
        var shape = ModelShape.ForPreset(preset)!;
        Assert.Equal(
            (config.VocabSize, config.DModel, config.Layers, config.Heads, config.KvHeads, config.FfnHidden, config.MaxSeq, config.TieEmbeddings),
            (shape.VocabSize, shape.DModel, shape.Layers, shape.Heads, shape.KvHeads, shape.FfnHidden, shape.MaxSeq, shape.TieEmbeddings));
        Assert.Equal(MemoryEstimate.ParameterCount(config), shape.ParameterCount);
    }

    [Theory]
    [InlineData(Algorithm.Sft, 0.04)]
    [InlineData(Algorithm.Grpo, 0.04)]
    [InlineData(Algorithm.Grpo, 0.0)]
    [InlineData(Algorithm.Rloo, 0.04)]
    [InlineData(Algorithm.ReinforcePp, 0.04)]
    [InlineData(Algorithm.Ppo, 0.04)]
    [InlineData(Algorithm.Dpo, 0.04)]
    [InlineData(Algorithm.Ipo, 0.04)]
    [InlineData(Algorithm.RewardModel, 0.04)]
    public void Estimate_EveryAlgorithm_EqualsTheEngines(Algorithm algorithm, double beta)
    {
        foreach (var loraRank in new[] { 0, 4 })
        foreach (var precision in Enum.GetValues<PrecisionSetting>())
        {
            AssertParity(algorithm, new RunSettings
            {
                BatchSize = 16, GroupSize = 4, Beta = beta, LoraRank = loraRank, LoraTargets = ["q_proj", "v_proj", "down_proj"], Precision = precision,
            });
            if (algorithm.IsPolicyGradient())
                AssertParity(algorithm, new RunSettings { BatchSize = 16, GroupSize = 4, Beta = beta, MiniBatches = 4, Precision = precision });
        }
    }

    [Fact]
    public void Estimate_Minibatches_DivideActivationsOnly()
    {
        var whole = MemoryEstimator.Estimate(Algorithm.Grpo, new RunSettings { BatchSize = 32, GroupSize = 8 }, ModelShape.Small);
        var sliced = MemoryEstimator.Estimate(Algorithm.Grpo, new RunSettings { BatchSize = 32, GroupSize = 8, MiniBatches = 4 }, ModelShape.Small);
        Assert.Equal(whole.ActivationBytes / 4, sliced.ActivationBytes);
        Assert.Equal(whole.TotalBytes - whole.ActivationBytes, sliced.TotalBytes - sliced.ActivationBytes);
    }

    private static void AssertParity(Algorithm algorithm, RunSettings settings)
    {
        var engine = MemoryEstimate.ForOptions(new TrainerOptions
        {
            Algorithm = Enum.Parse<TrainingAlgorithm>(algorithm.ToString()),
            BatchSize = settings.BatchSize, GroupSize = settings.GroupSize, Beta = settings.Beta, MiniBatches = settings.MiniBatches,
            Precision = settings.Precision == PrecisionSetting.Bfloat16 ? Precision.BFloat16 : Precision.Float32,
            Lora = settings.LoraRank > 0 ? new LoraOptions { Rank = settings.LoraRank, Alpha = settings.LoraAlpha, TargetModules = [.. settings.LoraTargets] } : null,
        }, ModelConfig.Small);
        var web = MemoryEstimator.Estimate(algorithm, settings, ModelShape.Small);
        Assert.Equal(
            (engine.WeightBytes, engine.GradientBytes, engine.OptimizerBytes, engine.ReferenceBytes, engine.HeadBytes, engine.ActivationBytes, engine.TotalBytes),
            (web.WeightBytes, web.GradientBytes, web.OptimizerBytes, web.ReferenceBytes, web.HeadBytes, web.ActivationBytes, web.TotalBytes));
    }
}
