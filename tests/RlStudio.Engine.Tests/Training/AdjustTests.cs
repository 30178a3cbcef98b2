using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// Settings changed while a run trains (<see cref="Trainer.Adjust"/>): they take effect from the next step, and a run
/// resumed from a checkpoint before the change that applies it again at the same step trains bit for bit alike.
/// </summary>
public sealed class AdjustTests
{
    private static readonly IReadOnlyList<PromptExample> Prompts = AdditionTask.Generate(1, 64, seed: 3);
    private static readonly IRewardFunction Ascii = new RegexReward(@"^[\x00-\x7F]", "ascii");
    private static readonly IRewardFunction Exact = new ExactMatchReward();
    private static readonly WeightedReward[] Rewards = [new(Ascii), new(Exact, 0.5)];
    private static readonly WeightedReward[] Reweighted = [new(Ascii, 0.2), new(Exact, 2.0)];

    private static TrainerOptions Options => AlgorithmTrainingTests.PolicyGradient(TrainingAlgorithm.Grpo) with
    {
        Beta = 0.04, EvalEvery = 2, EvalSamples = 2, PassK = 2,
    };

    private static TrainerOptions Changed => Options with { LearningRate = Options.LearningRate * 3, Temperature = 0.7, Beta = 0.1, ClipEpsilonHigh = 0.28 };

    [Fact]
    public void Adjust_ThenResumeBeforeTheChangeAndApplyItAgain_EveryStepBitIdentical()
    {
        using var original = Trainer.Create(Options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        original.Step();
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        original.Step();
        original.Adjust(Changed, Reweighted);
        var expected = new[] { original.Step(), original.Step() };

        checkpoint.Position = 0;
        using var resumed = Trainer.Resume(Options, checkpoint, Prompts, Rewards);
        resumed.Step();
        resumed.Adjust(Changed, Reweighted);
        var actual = new[] { resumed.Step(), resumed.Step() };

        for (var i = 0; i < expected.Length; i++)
        {
            ResumeAndEvalTests.AssertSameMetrics(expected[i], actual[i]);
            Assert.Equal(expected[i].Rollouts.Select(r => r.Completion), actual[i].Rollouts.Select(r => r.Completion));
        }
        Assert.Equal(Changed.LearningRate, expected[0].Metrics[MetricKeys.OptimLr]);
    }

    [Fact]
    public void Adjust_IsWhatAResumeWithTheNewOptionsDoes()
    {
        using var original = Trainer.Create(Options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        original.Step();
        using var checkpoint = new MemoryStream();
        original.SaveCheckpoint(checkpoint);
        original.Adjust(Changed, Reweighted);
        var expected = original.Step();

        checkpoint.Position = 0;
        using var resumed = Trainer.Resume(Changed, checkpoint, Prompts, Reweighted);
        ResumeAndEvalTests.AssertSameMetrics(expected, resumed.Step());
    }

    [Fact]
    public void Adjust_ChangesTheOutcome()
    {
        using var plain = Trainer.Create(Options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        using var adjusted = Trainer.Create(Options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        plain.Step();
        adjusted.Step();
        adjusted.Adjust(Options with { LearningRate = Options.LearningRate * 10 }, Rewards);
        plain.Step();
        adjusted.Step();
        Assert.NotEqual(plain.Step().Metrics[MetricKeys.LossPolicy], adjusted.Step().Metrics[MetricKeys.LossPolicy]);
    }

    [Fact]
    public void Adjust_FixedOptionOrBetaToZeroOrOtherRewards_Refused()
    {
        using var trainer = Trainer.Create(Options, new ModelSource.Preset("tiny"), Prompts, Rewards);
        var batch = Assert.Throws<ArgumentException>(() => trainer.Adjust(Options with { BatchSize = Options.BatchSize * 2 }, Rewards));
        Assert.Contains("BatchSize", batch.Message);
        Assert.Throws<ArgumentException>(() => trainer.Adjust(Options with { Beta = 0 }, Rewards));
        Assert.Throws<ArgumentException>(() => trainer.Adjust(Options, [new(new ExactMatchReward())]));
        Assert.Throws<ArgumentException>(() => trainer.Adjust(Options with { LearningRate = -1 }, Rewards));
        Assert.Equal(Options.LearningRate, trainer.Options.LearningRate);
    }
}
