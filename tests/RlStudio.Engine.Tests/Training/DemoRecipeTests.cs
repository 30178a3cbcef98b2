using System.Diagnostics;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;
using Xunit.Abstractions;

namespace RlStudio.Engine.Tests.Training;

public sealed class DemoRecipeTests(ITestOutputHelper output)
{
    private static readonly WeightedReward[] ExactMatch = [new(new ExactMatchReward())];

    [Fact]
    public void DemoRecipe_SftThenGrpo_AccuracyReachedAndGrpoRaisesReward()
    {
        var data = DemoRecipe.Dataset();
        var (sftRewards, checkpoint) = RunSft(DemoRecipe.Sft, data);
        Assert.True(sftRewards.TakeLast(50).Average() >= 0.6, $"SFT greedy exact match over the last 50 steps: {sftRewards.TakeLast(50).Average():F3}");

        var grpoRewards = RunGrpo(DemoRecipe.Grpo with { Steps = 100 }, checkpoint, data);
        var first = grpoRewards.Take(10).Average();
        var last = grpoRewards.TakeLast(10).Average();
        output.WriteLine($"GRPO reward/mean first 10 steps {first:F3}, last 10 steps {last:F3}");
        Assert.True(last > first + 0.05, $"GRPO reward/mean did not rise: first 10 {first:F3}, last 10 {last:F3}");
    }

    /// <summary>Measurement knob for other recipes: RECIPE_DIGITS, RECIPE_SFT_STEPS, RECIPE_GRPO_STEPS, RECIPE_GRPO_LR.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void DemoRecipe_FullLength_Measured()
    {
        var digits = int.Parse(Environment.GetEnvironmentVariable("RECIPE_DIGITS") ?? "2");
        var data = AdditionTask.Generate(digits, DemoRecipe.DatasetSize, DemoRecipe.DatasetSeed);
        var sftOptions = DemoRecipe.Sft with
        {
            MaxNewTokens = digits + 2, Steps = int.Parse(Environment.GetEnvironmentVariable("RECIPE_SFT_STEPS") ?? "600"),
        };
        var grpoOptions = DemoRecipe.Grpo with
        {
            MaxNewTokens = digits + 2,
            Steps = int.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_STEPS") ?? "200"),
            LearningRate = double.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_LR") ?? "1e-4"),
        };
        var (sftRewards, checkpoint) = RunSft(sftOptions, data);
        output.WriteLine($"SFT greedy exact match, last 50 steps: {sftRewards.TakeLast(50).Average():F3}");
        var grpoRewards = RunGrpo(grpoOptions, checkpoint, data);
        output.WriteLine($"GRPO reward/mean first 10: {grpoRewards.Take(10).Average():F3}, last 10: {grpoRewards.TakeLast(10).Average():F3}");
    }

    private (List<double> Rewards, byte[] Checkpoint) RunSft(TrainerOptions options, IReadOnlyList<PromptExample> data)
    {
        var clock = Stopwatch.StartNew();
        using var trainer = Trainer.Create(options, new ModelSource.Preset(DemoRecipe.Preset), data, ExactMatch);
        var rewards = new List<double>();
        for (var s = 0; s < options.Steps; s++)
        {
            var report = trainer.Step();
            rewards.Add(report.Metrics[MetricKeys.RewardMean]);
            if (report.Step % 100 == 0)
                output.WriteLine($"sft {report.Step} loss {report.Metrics[MetricKeys.LossSft]:F4} reward(last 50) {rewards.TakeLast(50).Average():F3} t={clock.Elapsed.TotalSeconds:F1}s");
        }
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        return (rewards, stream.ToArray());
    }

    private List<double> RunGrpo(TrainerOptions options, byte[] checkpoint, IReadOnlyList<PromptExample> data)
    {
        var clock = Stopwatch.StartNew();
        using var trainer = Trainer.Create(options, new ModelSource.Checkpoint(() => new MemoryStream(checkpoint)), data, ExactMatch);
        var rewards = new List<double>();
        for (var s = 0; s < options.Steps; s++)
        {
            var report = trainer.Step();
            rewards.Add(report.Metrics[MetricKeys.RewardMean]);
            if (report.Step % 20 == 0)
                output.WriteLine($"grpo {report.Step} reward(last 10) {rewards.TakeLast(10).Average():F3} kl {report.Metrics[MetricKeys.PolicyKl]:F4} entropy {report.Metrics[MetricKeys.PolicyEntropy]:F3} t={clock.Elapsed.TotalSeconds:F1}s");
        }
        return rewards;
    }
}
