using RlStudio.Contracts.Runs;
using RlStudio.Engine.Evaluation;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tasks;
using Xunit.Abstractions;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// The learning benchmark in small (RlStudio.Bench learn --task sort --algorithm grpo): GRPO with its defaults, from an
/// SFT checkpoint, raises greedy exact match on held-out prompts it never trained on. CPU runs are deterministic, so the
/// figures are the same every run; a change that stops RL from learning fails here.
/// </summary>
public sealed class LearningRegressionTests(SortTaskCheckpoint start, ITestOutputHelper output) : IClassFixture<SortTaskCheckpoint>
{
    [Fact]
    public void Grpo_DefaultsFromSftCheckpoint_RaiseHeldOutPassAt1()
    {
        var options = SortTaskCheckpoint.Defaults(Algorithm.Grpo) with
        {
            Steps = 120, MaxNewTokens = VerifiableTasks.SortDigits.MaxNewTokens, Seed = 2, EvalEvery = 0,
        };
        using var before = Trainer.Create(options, start.Source, start.Train, SortTaskCheckpoint.ExactMatch);
        var (pass1Before, pass8Before) = Measure(before);
        using var trainer = Trainer.Create(options, start.Source, start.Train, SortTaskCheckpoint.ExactMatch);
        while (trainer.CompletedSteps < options.Steps) trainer.Step();
        var (pass1After, _) = Measure(trainer);

        output.WriteLine($"pass@1 {pass1Before:F3} → {pass1After:F3}; pass@8 before {pass8Before:F3}");
        Assert.True(pass8Before - pass1Before >= 0.15, $"The SFT start should leave a gap to close (pass@1 {pass1Before}, pass@8 {pass8Before}).");
        Assert.True(pass1After >= pass1Before + 0.1, $"GRPO should raise held-out pass@1 by ≥ 0.1: {pass1Before:F3} → {pass1After:F3}.");
    }

    private (double Pass1, double Pass8) Measure(Trainer trainer)
    {
        var sampling = new SamplingOptions { MaxNewTokens = VerifiableTasks.SortDigits.MaxNewTokens, Temperature = 1.0 };
        var scores = HeldOutEvaluator.Evaluate(trainer.Policy, trainer.Tokenizer, start.HeldOut, SortTaskCheckpoint.ExactMatch, 8, sampling, seed: 5).Single();
        return (scores.PassAt1!.Value, scores.PassAtK!.Value);
    }
}
