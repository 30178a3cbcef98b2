using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;
using Xunit.Abstractions;

namespace RlStudio.Engine.Tests.Training;

public sealed class PreferenceTrainingTests(ITestOutputHelper output)
{
    /// <summary>"a+b=" → chosen: the sum, rejected: "no".</summary>
    internal static readonly IReadOnlyList<PreferenceExample> Pairs =
        AdditionTask.Generate(1, 80, seed: 4).Select(e => new PreferenceExample(e.Prompt, e.Reference, "no")).ToArray();

    internal static TrainerOptions Options(TrainingAlgorithm algorithm) => new()
    {
        Algorithm = algorithm, Steps = 15, BatchSize = 8, LearningRate = 2e-3, Seed = 12,
    };

    [Theory]
    [InlineData(TrainingAlgorithm.Dpo, MetricKeys.LossDpo)]
    [InlineData(TrainingAlgorithm.Ipo, MetricKeys.LossIpo)]
    public void Step_DpoAndIpo_LossFallsAndAccuracyRises(TrainingAlgorithm algorithm, string lossKey)
    {
        using var trainer = Trainer.Create(Options(algorithm), new ModelSource.Preset("tiny"), Pairs);
        var reports = Enumerable.Range(0, 15).Select(_ => trainer.Step()).ToArray();
        var losses = reports.Select(r => r.Metrics[lossKey]).ToArray();
        output.WriteLine(string.Join(" ", losses.Select(l => l.ToString("F3"))));
        Assert.True(losses.TakeLast(3).Average() < 0.7 * losses.Take(3).Average(), string.Join(", ", losses));
        Assert.Equal(0.0, reports[0].Metrics[MetricKeys.RewardsMargin], 6);   // policy = reference at step 1
        Assert.True(reports[^1].Metrics[MetricKeys.RewardsAccuracy] >= 0.99);
        Assert.True(reports[^1].Metrics[MetricKeys.RewardsChosen] > reports[^1].Metrics[MetricKeys.RewardsRejected]);
    }

    [Fact]
    public void Step_RewardModel_HeldOutAccuracyRises()
    {
        var options = Options(TrainingAlgorithm.RewardModel) with { EvalEvery = 5, EvalSamples = 8, EvalFraction = 0.2 };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Pairs);
        var reports = Enumerable.Range(0, 15).Select(_ => trainer.Step()).ToArray();
        Assert.False(reports[0].Metrics.ContainsKey(MetricKeys.EvalAccuracy));
        var accuracies = reports.Where(r => r.Step % 5 == 0).Select(r => r.Metrics[MetricKeys.EvalAccuracy]).ToArray();
        output.WriteLine(string.Join(" ", accuracies));
        Assert.Equal(3, accuracies.Length);
        Assert.True(accuracies[^1] >= 0.99, string.Join(", ", accuracies));
        Assert.True(reports[^1].Metrics[MetricKeys.LossRewardModel] < reports[0].Metrics[MetricKeys.LossRewardModel]);
    }

    [Fact]
    public void RewardModelReward_FromTrainedCheckpoint_ScoresChosenAboveRejected()
    {
        using var trainer = Trainer.Create(Options(TrainingAlgorithm.RewardModel), new ModelSource.Preset("tiny"), Pairs);
        for (var i = 0; i < 15; i++) trainer.Step();
        using var checkpoint = new MemoryStream();
        trainer.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        using var reward = new RewardModelReward(checkpoint);
        var example = new PromptExample("2+3=", "5");
        var scores = reward.Score([example, example, example with { Prompt = new string('x', 200) }], ["5", "no", "5"]);
        Assert.True(scores[0] > scores[1], $"{scores[0]} vs {scores[1]}");
        Assert.Null(scores[2]);   // longer than MaxSeq: unscorable
        Assert.Equal("reward_model", reward.Name);
    }

    [Fact]
    public void RewardModelReward_NonRewardModelCheckpoint_Rejected()
    {
        using var trainer = Trainer.Create(Options(TrainingAlgorithm.Dpo), new ModelSource.Preset("tiny"), Pairs);
        using var checkpoint = new MemoryStream();
        trainer.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        Assert.Throws<ArgumentException>(() => new RewardModelReward(checkpoint));
    }

    [Fact]
    public void Create_DataKindMismatch_RejectedWithMessage()
    {
        var prompts = AdditionTask.Generate(1, 10, seed: 1);
        var rewards = new[] { new WeightedReward(new ExactMatchReward()) };
        var toPrompts = Assert.Throws<ArgumentException>(() =>
            Trainer.Create(Options(TrainingAlgorithm.Dpo), new ModelSource.Preset("tiny"), prompts, rewards));
        Assert.Contains("preference pairs", toPrompts.Message);
        var toPairs = Assert.Throws<ArgumentException>(() =>
            Trainer.Create(new TrainerOptions { Algorithm = TrainingAlgorithm.Grpo }, new ModelSource.Preset("tiny"), Pairs));
        Assert.Contains("trains on prompts", toPairs.Message);
    }
}
