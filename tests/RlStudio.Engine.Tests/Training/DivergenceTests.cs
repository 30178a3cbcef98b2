using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// A step whose loss, gradient norm or mean reward is NaN or infinite stops training (naming the step and the metric)
/// instead of carrying bad weights on; a resume may change the learning rate, and the optimizer then uses it.
/// </summary>
public sealed class DivergenceTests
{
    private static readonly IReadOnlyList<PromptExample> Data = AdditionTask.Generate(1, 200, seed: 3);

    /// <summary>A reward function that breaks from a given call on (as a misbehaving scorer would).</summary>
    private sealed class BreaksAt(int call) : IRewardFunction
    {
        private int _calls;
        public string Name => "breaks";

        public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions) =>
            ++_calls >= call ? completions.Select(_ => (double?)double.NaN).ToList() : completions.Select(c => (double?)c.Length).ToList();
    }

    [Fact]
    public void Step_RewardTurnsNaN_ThrowsNamingTheStepAndMetric()
    {
        var options = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Grpo, Steps = 10, BatchSize = 8, GroupSize = 4, LearningRate = 1e-4, MaxNewTokens = 3, Temperature = 1.0, Seed = 2,
        };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, [new WeightedReward(new BreaksAt(3))]);
        trainer.Step();
        trainer.Step();

        var diverged = Assert.Throws<TrainingDivergedException>(() => trainer.Step());

        Assert.Equal(3, diverged.Step);
        Assert.True(MetricKeys.MustStayFinite(diverged.Metric), diverged.Metric);
        Assert.True(double.IsNaN(diverged.Value));
        Assert.Contains("step 3", diverged.Message);
    }

    [Fact]
    public void Resume_WithAnotherLearningRate_TheOptimizerUsesIt()
    {
        var options = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Sft, Steps = 10, BatchSize = 16, LearningRate = 3e-3, MaxNewTokens = 3, Temperature = 0, Seed = 5,
        };
        using var checkpoint = new MemoryStream();
        using (var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Data, []))
        {
            trainer.Step();
            trainer.Step();
            trainer.SaveCheckpoint(checkpoint);
        }

        double LossAfterOneUpdate(double learningRate)
        {
            checkpoint.Position = 0;
            using var resumed = Trainer.Resume(options with { LearningRate = learningRate }, checkpoint, Data, []);
            resumed.Step();
            return resumed.Step().Metrics[MetricKeys.LossSft];
        }

        var same = LossAfterOneUpdate(3e-3);
        Assert.Equal(same, LossAfterOneUpdate(3e-3));
        Assert.NotEqual(same, LossAfterOneUpdate(3e-6));
    }
}
