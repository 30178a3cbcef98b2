using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Training;

public sealed class TrainerTests
{
    private static readonly IReadOnlyList<PromptExample> Data = AdditionTask.Generate(1, 200, seed: 3);
    private static readonly WeightedReward[] ExactMatch = [new(new ExactMatchReward())];

    private static TrainerOptions Sft => new()
    {
        Algorithm = TrainingAlgorithm.Sft, Steps = 100, BatchSize = 16, LearningRate = 3e-3, MaxNewTokens = 3,
        Temperature = 0, Seed = 5, RolloutsPerStep = 4,
    };

    private static TrainerOptions Grpo => new()
    {
        Algorithm = TrainingAlgorithm.Grpo, Steps = 100, BatchSize = 16, GroupSize = 4, LearningRate = 1e-3,
        MaxNewTokens = 3, Temperature = 1.0, Beta = 0.04, Seed = 6,
    };

    [Fact]
    public void Step_SftOnAddition_LossFalls()
    {
        using var trainer = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Data, ExactMatch);
        var losses = Enumerable.Range(0, 40).Select(_ => trainer.Step().Metrics[MetricKeys.LossSft]).ToArray();
        Assert.True(losses.TakeLast(5).Average() < 0.6 * losses.Take(5).Average(), string.Join(", ", losses));
        Assert.Equal(40, trainer.CompletedSteps);
    }

    [Fact]
    public void Step_SameSeedTwice_IdenticalLosses()
    {
        double[] Run()
        {
            using var trainer = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Data, ExactMatch);
            return Enumerable.Range(0, 5).Select(_ => trainer.Step().Metrics[MetricKeys.LossSft]).ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Step_SftReport_HasMetricsAndRollouts()
    {
        using var trainer = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Data, ExactMatch);
        var report = trainer.Step();
        Assert.Equal(1, report.Step);
        foreach (var key in new[] { MetricKeys.LossSft, MetricKeys.RewardMean, MetricKeys.OptimLr, MetricKeys.PerfTokensPerSecond,
                     MetricKeys.PerfStepSeconds, MetricKeys.CompletionMeanLength, MetricKeys.RewardFunctionMean("exact_match") })
            Assert.True(report.Metrics.ContainsKey(key), key);
        Assert.Equal(4, report.Rollouts.Count);
        Assert.All(report.Rollouts, r => Assert.Null(r.Advantage));
    }

    [Fact]
    public void Step_GrpoReport_HasMetricsAndAdvantages()
    {
        using var trainer = Trainer.Create(Grpo, new ModelSource.Preset("tiny"), Data, ExactMatch);
        var report = trainer.Step();
        foreach (var key in new[] { MetricKeys.LossPolicy, MetricKeys.RewardMean, MetricKeys.RewardStd, MetricKeys.RewardFracZeroStd,
                     MetricKeys.PolicyKl, MetricKeys.PolicyClipFrac, MetricKeys.PolicyEntropy, MetricKeys.CompletionMeanLength })
            Assert.True(report.Metrics.ContainsKey(key), key);
        Assert.Equal(0.0, report.Metrics[MetricKeys.PolicyKl], 1e-6);
        Assert.All(report.Rollouts, r => Assert.NotNull(r.Advantage));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], report.Rollouts.Select(r => r.Group));
    }

    [Fact]
    public void Resume_FromCheckpoint_ReproducesNextStepExactly()
    {
        foreach (var options in new[] { Sft, Grpo, Sft with { Precision = Precision.BFloat16 }, Grpo with { Precision = Precision.BFloat16 } })
        {
            using var original = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, ExactMatch);
            for (var i = 0; i < 3; i++) original.Step();
            using var checkpoint = new MemoryStream();
            original.SaveCheckpoint(checkpoint);
            var expected = original.Step();

            checkpoint.Position = 0;
            using var resumed = Trainer.Resume(options, checkpoint, Data, ExactMatch);
            Assert.Equal(3, resumed.CompletedSteps);
            var actual = resumed.Step();
            var key = options.Algorithm == TrainingAlgorithm.Sft ? MetricKeys.LossSft : MetricKeys.LossPolicy;
            Assert.Equal(expected.Metrics[key], actual.Metrics[key]);
            Assert.Equal(expected.Metrics[MetricKeys.RewardMean], actual.Metrics[MetricKeys.RewardMean]);
            Assert.Equal(expected.Rollouts.Select(r => r.Completion), actual.Rollouts.Select(r => r.Completion));
        }
    }

    [Fact]
    public void SaveCheckpoint_BetweenSteps_DoesNotPerturbTraining()
    {
        foreach (var options in new[] { Sft, Grpo, Sft with { Precision = Precision.BFloat16 }, Grpo with { Precision = Precision.BFloat16 } })
        {
            using var saving = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, ExactMatch);
            using var plain = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, ExactMatch);
            var key = options.Algorithm == TrainingAlgorithm.Sft ? MetricKeys.LossSft : MetricKeys.LossPolicy;
            for (var step = 1; step <= 6; step++)
            {
                var withSaves = saving.Step();
                using (var sink = new MemoryStream()) saving.SaveCheckpoint(sink);
                var without = plain.Step();
                Assert.Equal(without.Metrics[key], withSaves.Metrics[key]);
                Assert.Equal(without.Rollouts.Select(r => r.Completion), withSaves.Rollouts.Select(r => r.Completion));
            }
        }
    }

    [Fact]
    public void Checkpoint_LoadedAsBase_GivesIdenticalLogits()
    {
        using var trainer = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Data, ExactMatch);
        trainer.Step();
        using var checkpoint = new MemoryStream();
        trainer.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        var (header, loaded) = CheckpointFormat.ReadBase(checkpoint);
        using var model = loaded;
        Assert.Equal(1, header.CompletedSteps);
        Assert.Equal(trainer.ModelConfig, header.Model);
        using var tokens = tensor(new long[] { 257, 49, 43, 50, 61, 51 }).unsqueeze(0);
        using var expected = trainer.Policy.call(tokens);
        using var actual = model.call(tokens);
        Assert.True(expected.equal(actual).all().item<bool>());
    }

    [Fact]
    public void Create_FromCheckpointSource_StartsAtStepZeroWithSameWeights()
    {
        using var sft = Trainer.Create(Sft, new ModelSource.Preset("tiny"), Data, ExactMatch);
        sft.Step();
        var bytes = SaveBytes(sft);
        using var grpo = Trainer.Create(Grpo, new ModelSource.Checkpoint(() => new MemoryStream(bytes)), Data, ExactMatch);
        Assert.Equal(0, grpo.CompletedSteps);
        using var tokens = tensor(new long[] { 257, 52, 43, 53, 61 }).unsqueeze(0);
        using var a = sft.Policy.call(tokens);
        using var b = grpo.Policy.call(tokens);
        Assert.True(a.equal(b).all().item<bool>());
    }

    [Fact]
    public void Step_ManySteps_LiveTensorCountDoesNotGrow()
    {
        foreach (var options in new[] { Sft, Grpo, Sft with { Precision = Precision.BFloat16 }, Grpo with { Precision = Precision.BFloat16 } })
        {
            using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, ExactMatch);
            trainer.Step();
            trainer.Step();
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (var i = 0; i < 5; i++) trainer.Step();
            var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Assert.True(after <= before, $"{options.Algorithm} {options.Precision}: live tensors grew from {before} to {after}");
        }
    }

    [Fact]
    public void Options_GroupNotDividingBatch_RejectedWithMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => (Grpo with { BatchSize = 10, GroupSize = 4 }).Validate());
        Assert.Contains("divisible by GroupSize", error.Message);
    }

    private static byte[] SaveBytes(Trainer trainer)
    {
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        return stream.ToArray();
    }
}
