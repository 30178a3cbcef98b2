using System.Diagnostics;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;
using Xunit.Abstractions;

namespace RlStudio.Engine.Tests.Training;

/// <summary>Measures the demo recipe (SFT then GRPO on addition). Slow: run with --filter Category=Slow.</summary>
public sealed class DemoRecipeTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Recipe_SftThenGrpo_Measured()
    {
        var digits = int.Parse(Environment.GetEnvironmentVariable("RECIPE_DIGITS") ?? "2");
        var sftSteps = int.Parse(Environment.GetEnvironmentVariable("RECIPE_SFT_STEPS") ?? "300");
        var sftBatch = int.Parse(Environment.GetEnvironmentVariable("RECIPE_SFT_BATCH") ?? "64");
        var sftLr = double.Parse(Environment.GetEnvironmentVariable("RECIPE_SFT_LR") ?? "3e-3");
        var grpoSteps = int.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_STEPS") ?? "0");
        var data = AdditionTask.Generate(digits, 5000, seed: 1);
        var rewards = new[] { new WeightedReward(new ExactMatchReward()) };
        var sftOptions = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Sft, Steps = sftSteps, BatchSize = sftBatch, LearningRate = sftLr,
            MaxNewTokens = digits + 2, Temperature = 0, Seed = 1, EvalSamples = 16,
        };
        var clock = Stopwatch.StartNew();
        using var checkpoint = new MemoryStream();
        using (var sft = Trainer.Create(sftOptions, new ModelSource.Preset("tiny"), data, rewards))
        {
            for (var s = 0; s < sftSteps; s++)
            {
                var r = sft.Step();
                if (r.Step % 25 == 0)
                    output.WriteLine($"sft {r.Step} loss {r.Metrics[MetricKeys.LossSft]:F4} reward {r.Metrics[MetricKeys.RewardMean]:F3} {r.Metrics[MetricKeys.PerfStepSeconds]:F3}s t={clock.Elapsed.TotalSeconds:F1}");
            }
            sft.SaveCheckpoint(checkpoint);
        }
        if (grpoSteps == 0) return;
        var grpoOptions = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Grpo, Steps = grpoSteps,
            BatchSize = int.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_BATCH") ?? "64"),
            GroupSize = int.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_GROUP") ?? "8"),
            LearningRate = double.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_LR") ?? "1e-4"),
            MaxNewTokens = digits + 2,
            Temperature = double.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_TEMP") ?? "1.0"),
            Beta = double.Parse(Environment.GetEnvironmentVariable("RECIPE_GRPO_BETA") ?? "0.04"),
            Seed = 2,
        };
        var bytes = checkpoint.ToArray();
        clock.Restart();
        using var grpo = Trainer.Create(grpoOptions, new ModelSource.Checkpoint(() => new MemoryStream(bytes)), data, rewards);
        var window = new List<double>();
        for (var s = 0; s < grpoSteps; s++)
        {
            var r = grpo.Step();
            window.Add(r.Metrics[MetricKeys.RewardMean]);
            if (r.Step % 10 == 0)
            {
                output.WriteLine($"grpo {r.Step} reward(last10) {window.TakeLast(10).Average():F3} kl {r.Metrics[MetricKeys.PolicyKl]:F4} ent {r.Metrics[MetricKeys.PolicyEntropy]:F3} fz {r.Metrics[MetricKeys.RewardFracZeroStd]:F2} {r.Metrics[MetricKeys.PerfStepSeconds]:F3}s t={clock.Elapsed.TotalSeconds:F1}");
            }
        }
    }
}
