using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Training;

public sealed class MixedPrecisionTrainingTests
{
    private static readonly IReadOnlyList<PromptExample> Prompts = AdditionTask.Generate(1, 64, seed: 3);
    private static readonly WeightedReward[] Rewards = [new(new RegexReward(@"^[\x00-\x7F]", "ascii")), new(new ExactMatchReward(), 0.5)];

    private static readonly TrainerOptions Sft = new()
    {
        Algorithm = TrainingAlgorithm.Sft, BatchSize = 8, LearningRate = 3e-3, MaxNewTokens = 2, Temperature = 0, Seed = 5,
        RolloutsPerStep = 2, Precision = Precision.BFloat16,
    };

    [Fact]
    public void Options_Default_Float32()
    {
        Assert.Equal(Precision.Float32, new TrainerOptions().Precision);
        Assert.Contains("Precision", new TrainerOptions { Precision = (Precision)7 }.FirstError());
    }

    [Fact]
    public void MemoryEstimate_BFloat16_AddsWorkingCopyAndHalvesActivations()
    {
        var config = ModelConfig.Tiny;
        var full = MemoryEstimate.ForOptions(new TrainerOptions(), config);
        var mixed = MemoryEstimate.ForOptions(new TrainerOptions { Precision = Precision.BFloat16 }, config);

        Assert.Equal(full.WeightBytes + 2 * MemoryEstimate.ParameterCount(config), mixed.WeightBytes);
        Assert.Equal(full.ActivationBytes / 2, mixed.ActivationBytes);
        Assert.Equal(full.OptimizerBytes, mixed.OptimizerBytes);
    }

    [Fact]
    public void Sft_BFloat16_LossFallsAndMasterAndCheckpointStayFloat32()
    {
        using var trainer = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var losses = Enumerable.Range(0, 12).Select(_ => trainer.Step().Metrics[MetricKeys.LossSft]).ToArray();

        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses.TakeLast(3).Average() < losses[0] - 0.5, string.Join(", ", losses));
        Assert.All(trainer.Policy.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));

        using var checkpoint = new MemoryStream();
        trainer.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        var (header, model) = CheckpointFormat.ReadBase(checkpoint);
        using (model)
        {
            Assert.Equal(Precision.BFloat16, header.Options.Precision);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        }
    }

    [Fact]
    public void Sft_BFloat16_FirstLossDiffersFromFloat32ButIsClose()
    {
        using var mixed = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Prompts, Rewards);
        using var full = Trainer.Create(Sft with { Precision = Precision.Float32 }, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var bf16 = mixed.Step().Metrics[MetricKeys.LossSft];
        var fp32 = full.Step().Metrics[MetricKeys.LossSft];

        Assert.NotEqual(fp32, bf16);                       // the forward really ran in bfloat16
        Assert.InRange(bf16, fp32 - 0.05, fp32 + 0.05);
    }

    [Theory]
    [InlineData(TrainingAlgorithm.Grpo)]
    [InlineData(TrainingAlgorithm.Ppo)]
    public void PolicyGradient_BFloat16WithReference_FiniteMetrics(TrainingAlgorithm algorithm)
    {
        var options = AlgorithmTrainingTests.PolicyGradient(algorithm) with { Beta = 0.04, Precision = Precision.BFloat16 };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        for (var i = 0; i < 2; i++)
        {
            var report = trainer.Step();
            Assert.All(report.Metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Key} = {m.Value}"));
        }
        Assert.All(trainer.Policy.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Dpo_BFloat16_FiniteLoss()
    {
        var options = PreferenceTrainingTests.Options(TrainingAlgorithm.Dpo) with { Precision = Precision.BFloat16 };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), PreferenceTrainingTests.Pairs);
        Assert.True(double.IsFinite(trainer.Step().Metrics[MetricKeys.LossDpo]));
    }

    [Fact]
    public void Sft_BFloat16WithLora_OnlyAdaptersChange()
    {
        var lora = new LoraOptions { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj"] };
        using var trainer = Trainer.Create(Sft with { Lora = lora }, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var before = trainer.Policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.clone());
        for (var i = 0; i < 2; i++) Assert.True(double.IsFinite(trainer.Step().Metrics[MetricKeys.LossSft]));

        foreach (var (name, p) in trainer.Policy.named_parameters())
        {
            using var old = before[name];
            if (!CausalLm.IsAdapter(name)) Assert.True(Same(p, old), name);
            else if (name.EndsWith(".lora_B", StringComparison.Ordinal)) Assert.False(Same(p, old), name);
        }
    }

    [Theory]
    [InlineData(TrainingAlgorithm.Sft)]
    [InlineData(TrainingAlgorithm.Grpo)]
    public void Resume_BFloat16_NextStepBitIdentical(TrainingAlgorithm algorithm)
    {
        var options = algorithm == TrainingAlgorithm.Sft
            ? Sft
            : AlgorithmTrainingTests.PolicyGradient(algorithm) with { Beta = 0.04, PolicyUpdatesPerBatch = 2, Precision = Precision.BFloat16 };
        using var original = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        for (var i = 0; i < 2; i++) original.Step();
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var expected = original.Step();

        checkpoint.Position = 0;
        using var resumed = Trainer.Resume(options, checkpoint, Prompts, Rewards);
        var actual = resumed.Step();
        Assert.Equal(expected.Step, actual.Step);
        foreach (var (key, value) in expected.Metrics.Where(m => !m.Key.StartsWith("perf/", StringComparison.Ordinal)))
            Assert.True(value.Equals(actual.Metrics[key]), $"{key}: {value} vs {actual.Metrics[key]}");
        Assert.Equal(expected.Rollouts.Select(r => r.Completion), actual.Rollouts.Select(r => r.Completion));
        foreach (var ((name, p), (_, q)) in original.Policy.named_parameters().Zip(resumed.Policy.named_parameters()))
            Assert.True(Same(p, q), name);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }
}
