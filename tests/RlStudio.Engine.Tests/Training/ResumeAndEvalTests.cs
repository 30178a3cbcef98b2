using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Engine.Tests.Training;

public sealed class ResumeAndEvalTests
{
    private static readonly IReadOnlyList<PromptExample> Prompts = AdditionTask.Generate(1, 64, seed: 3);
    private static readonly WeightedReward[] Rewards = [new(new RegexReward(@"^[\x00-\x7F]", "ascii")), new(new ExactMatchReward(), 0.5)];

    public static TheoryData<TrainingAlgorithm, int> ResumedAlgorithms => new()
    {
        { TrainingAlgorithm.Grpo, 1 }, { TrainingAlgorithm.Ppo, 1 }, { TrainingAlgorithm.Ppo, 4 },
    };

    [Theory]
    [MemberData(nameof(ResumedAlgorithms))]
    public void Resume_PolicyGradientWithSeveralUpdates_NextStepBitIdentical(TrainingAlgorithm algorithm, int miniBatches)
    {
        var options = AlgorithmTrainingTests.PolicyGradient(algorithm) with
        {
            PolicyUpdatesPerBatch = 2, MiniBatches = miniBatches, Beta = 0.04, EvalEvery = 3, EvalSamples = 2, PassK = 2,
        };
        using var original = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        for (var i = 0; i < 2; i++) original.Step();
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var expected = original.Step();

        checkpoint.Position = 0;
        using var resumed = Trainer.Resume(options, checkpoint, Prompts, Rewards);
        var actual = resumed.Step();
        AssertSameMetrics(expected, actual);
        Assert.Equal(expected.Rollouts.Select(r => r.Completion), actual.Rollouts.Select(r => r.Completion));
    }

    [Theory]
    [InlineData(TrainingAlgorithm.Dpo)]
    [InlineData(TrainingAlgorithm.RewardModel)]
    public void Resume_Preference_NextStepBitIdentical(TrainingAlgorithm algorithm)
    {
        var options = PreferenceTrainingTests.Options(algorithm) with { EvalEvery = 3, EvalSamples = 4 };
        var pairs = PreferenceTrainingTests.Pairs;
        using var original = Trainer.Create(options, new ModelSource.Preset("tiny"), pairs);
        for (var i = 0; i < 2; i++) original.Step();
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        var expected = original.Step();

        checkpoint.Position = 0;
        using var resumed = Trainer.Resume(options, checkpoint, pairs);
        Assert.Equal(2, resumed.CompletedSteps);
        AssertSameMetrics(expected, resumed.Step());
    }

    [Fact]
    public void Step_EvalEvery_ReportsPassAtOneAndKOnlyOnEvalSteps()
    {
        var options = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Sft, BatchSize = 8, MaxNewTokens = 2, Temperature = 0, Seed = 5, EvalSamples = 4,
            EvalEvery = 2, PassK = 3,
        };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var first = trainer.Step();
        var second = trainer.Step();
        Assert.False(first.Metrics.ContainsKey(MetricKeys.EvalPassAt1("exact_match")));
        foreach (var name in new[] { "ascii", "exact_match" })
        {
            var passAt1 = second.Metrics[MetricKeys.EvalPassAt1(name)];
            var passAtK = second.Metrics[MetricKeys.EvalPassAtK(name)];
            Assert.InRange(passAt1, 0, 1);
            Assert.InRange(passAtK, 0, 1);
        }
        Assert.Equal("eval/ascii/pass@k", MetricKeys.EvalPassAtK("ascii"));
    }

    [Fact]
    public void Step_EvalWithPerfectPolicy_PassAtKAtLeastPassAtOne()
    {
        var options = AlgorithmTrainingTests.PolicyGradient(TrainingAlgorithm.Grpo) with { EvalEvery = 1, EvalSamples = 6, PassK = 4 };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var report = trainer.Step();
        Assert.True(report.Metrics[MetricKeys.EvalPassAtK("ascii")] >= 0);
        Assert.True(report.Metrics.ContainsKey(MetricKeys.EvalPassAt1("ascii")));
    }

    [Fact]
    public void Step_NewAlgorithms_LiveTensorCountDoesNotGrow()
    {
        var prompt = AlgorithmTrainingTests.PolicyGradient(TrainingAlgorithm.Ppo) with { PolicyUpdatesPerBatch = 2, EvalEvery = 2, EvalSamples = 2 };
        using var ppo = Trainer.Create(prompt, new ModelSource.Preset("tiny"), Prompts, Rewards);
        using var ppoSliced = Trainer.Create(prompt with { MiniBatches = 4, Beta = 0.04 }, new ModelSource.Preset("tiny"), Prompts, Rewards);
        using var dpo = Trainer.Create(PreferenceTrainingTests.Options(TrainingAlgorithm.Dpo) with { EvalEvery = 2 },
            new ModelSource.Preset("tiny"), PreferenceTrainingTests.Pairs);
        using var rm = Trainer.Create(PreferenceTrainingTests.Options(TrainingAlgorithm.RewardModel) with { EvalEvery = 2 },
            new ModelSource.Preset("tiny"), PreferenceTrainingTests.Pairs);
        foreach (var trainer in new[] { ppo, ppoSliced, dpo, rm })
        {
            trainer.Step();
            trainer.Step();
            var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (var i = 0; i < 4; i++) trainer.Step();
            var after = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Assert.True(after <= before, $"live tensors grew from {before} to {after}");
        }
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.04, true)]
    public void SaveCheckpoint_Beta_ReferenceOnlyWhenPenalized(double beta, bool expected)
    {
        var options = AlgorithmTrainingTests.PolicyGradient(TrainingAlgorithm.Grpo) with { Beta = beta };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        using var checkpoint = new MemoryStream();
        trainer.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        using var reader = new BinaryReader(checkpoint);
        Assert.Equal(expected, RlStudio.Engine.Checkpoints.CheckpointFormat.ReadHeader(reader).HasReference);
    }

    internal static void AssertSameMetrics(StepReport expected, StepReport actual)
    {
        Assert.Equal(expected.Step, actual.Step);
        foreach (var (key, value) in expected.Metrics)
        {
            if (key.StartsWith("perf/", StringComparison.Ordinal)) continue;
            Assert.True(actual.Metrics.TryGetValue(key, out var other), key);
            Assert.True(value.Equals(other), $"{key}: {value} vs {other}");
        }
    }
}
