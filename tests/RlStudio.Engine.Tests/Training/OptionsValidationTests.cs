using RlStudio.Engine.Model;

namespace RlStudio.Engine.Tests.Training;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData(TrainingAlgorithm.Sft)]
    [InlineData(TrainingAlgorithm.Grpo)]
    [InlineData(TrainingAlgorithm.Rloo)]
    [InlineData(TrainingAlgorithm.ReinforcePp)]
    [InlineData(TrainingAlgorithm.Ppo)]
    [InlineData(TrainingAlgorithm.Dpo)]
    [InlineData(TrainingAlgorithm.Ipo)]
    [InlineData(TrainingAlgorithm.RewardModel)]
    public void Validate_OnlyStepsSet_ValidForEveryAlgorithm(TrainingAlgorithm algorithm)
    {
        Assert.Null(new TrainerOptions { Algorithm = algorithm, Steps = 10 }.FirstError());
    }

    [Theory]
    [InlineData("batch", "BatchSize 30 is not divisible by GroupSize 8")]
    [InlineData("clip", "ClipEpsilonHigh (0.1) must be ≥ ClipEpsilonLow (0.2)")]
    [InlineData("rlooGroup", "Rloo needs GroupSize ≥ 2")]
    [InlineData("greedy", "needs Temperature > 0")]
    [InlineData("mu", "PolicyUpdatesPerBatch must be in 1..64")]
    [InlineData("minibatches", "BatchSize 32 is not divisible by MiniBatches 3")]
    [InlineData("gamma", "Gamma must be in [0, 1]")]
    [InlineData("dpoBeta", "PreferenceBeta must be in (0, 10]")]
    [InlineData("evalFraction", "EvalFraction must be in (0, 0.5]")]
    [InlineData("passK", "PassK must be in 1..64")]
    [InlineData("baseline", "ReinforcePp needs GroupSize ≥ 2")]
    public void Validate_InconsistentSettings_ClearMessage(string case_, string expected)
    {
        var options = case_ switch
        {
            "batch" => new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, BatchSize = 30, GroupSize = 8 },
            "clip" => new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, ClipEpsilonLow = 0.2, ClipEpsilonHigh = 0.1 },
            "rlooGroup" => new TrainerOptions { Algorithm = TrainingAlgorithm.Rloo, BatchSize = 4, GroupSize = 1 },
            "greedy" => new TrainerOptions { Algorithm = TrainingAlgorithm.Ppo, Temperature = 0 },
            "mu" => new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, PolicyUpdatesPerBatch = 0 },
            "minibatches" => new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, BatchSize = 32, MiniBatches = 3 },
            "gamma" => new TrainerOptions { Algorithm = TrainingAlgorithm.Ppo, Gamma = 1.5 },
            "dpoBeta" => new TrainerOptions { Algorithm = TrainingAlgorithm.Dpo, PreferenceBeta = 0 },
            "evalFraction" => new TrainerOptions { EvalEvery = 5, EvalFraction = 0.9 },
            "passK" => new TrainerOptions { EvalEvery = 5, PassK = 0 },
            "baseline" => new TrainerOptions { Algorithm = TrainingAlgorithm.ReinforcePp, GroupBaseline = true, GroupSize = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(case_)),
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_PpoWithGroupsOfOne_Valid()
    {
        Assert.Null(new TrainerOptions { Algorithm = TrainingAlgorithm.Ppo, GroupSize = 1, BatchSize = 5 }.FirstError());
    }

    [Fact]
    public void EffectiveClip_DefaultsToSymmetricClipEpsilon()
    {
        var options = new TrainerOptions { ClipEpsilon = 0.3, ClipEpsilonHigh = 0.4 };
        Assert.Equal(0.3, options.EffectiveClipLow);
        Assert.Equal(0.4, options.EffectiveClipHigh);
    }

    [Fact]
    public void MemoryEstimate_ParameterCount_MatchesModel()
    {
        using var model = new CausalLm(ModelConfig.Tiny);
        Assert.Equal(model.ParameterCount, MemoryEstimate.ParameterCount(ModelConfig.Tiny));
        using var small = new CausalLm(ModelConfig.Small with { TieEmbeddings = false });
        Assert.Equal(small.ParameterCount, MemoryEstimate.ParameterCount(ModelConfig.Small with { TieEmbeddings = false }));
    }

    [Fact]
    public void MemoryEstimate_ReferenceAndHead_OnlyWhenNeeded()
    {
        var config = ModelConfig.Small;
        var noKl = MemoryEstimate.ForOptions(new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, Beta = 0 }, config);
        var kl = MemoryEstimate.ForOptions(new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo, Beta = 0.04 }, config);
        var ppo = MemoryEstimate.ForOptions(new TrainerOptions { Algorithm = TrainingAlgorithm.Ppo, Beta = 0 }, config);
        var dpo = MemoryEstimate.ForOptions(new TrainerOptions { Algorithm = TrainingAlgorithm.Dpo }, config);
        Assert.Equal(0, noKl.ReferenceBytes);
        Assert.Equal(kl.WeightBytes, kl.ReferenceBytes);
        Assert.Equal(0, noKl.HeadBytes);
        Assert.Equal((config.DModel + 1) * 4L, ppo.HeadBytes);
        Assert.Equal(2 * noKl.WeightBytes, noKl.OptimizerBytes);
        Assert.True(dpo.ActivationBytes > noKl.ActivationBytes);   // chosen + rejected rows
        Assert.Equal(kl.WeightBytes + kl.GradientBytes + kl.OptimizerBytes + kl.ReferenceBytes + kl.HeadBytes + kl.ActivationBytes, kl.TotalBytes);
    }
}
