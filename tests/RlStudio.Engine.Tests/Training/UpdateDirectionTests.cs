using RlStudio.Contracts.Runs;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tasks;
using RlStudio.Engine.Tests.Reference;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// The sign of an RL update: one step of GRPO, RLOO, REINFORCE++ or PPO (with the platform's defaults) raises the mean
/// log-prob of the step's completions that got a positive advantage and lowers that of the completions with a negative
/// one. The step's batch is re-sampled outside the trainer (same policy, same generator seed, same prompts) so the log-probs
/// of exactly those completions can be compared before and after.
/// </summary>
public sealed class UpdateDirectionTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<WeightedReward> Rewards = [new(new RegexReward(@"^[\x00-\x7F]", "ascii"))];

    [Theory]
    [InlineData(Algorithm.Grpo)]
    [InlineData(Algorithm.Rloo)]
    [InlineData(Algorithm.ReinforcePp)]
    [InlineData(Algorithm.Ppo)]
    public void OneUpdate_RaisesPositiveAdvantageCompletions_AndLowersNegativeOnes(Algorithm algorithm)
    {
        var options = SortTaskCheckpoint.Defaults(algorithm) with
        {
            Steps = 1, BatchSize = 64, MaxNewTokens = 4, Seed = 11, EvalEvery = 0, RolloutsPerStep = 64,
        };
        var (prompts, _) = VerifiableTasks.SortDigits.Split(200, 10, seed: 3);
        using var before = Trainer.Create(options, new ModelSource.Preset("tiny"), prompts, Rewards);
        using var after = Trainer.Create(options, new ModelSource.Preset("tiny"), prompts, Rewards);
        var rollouts = after.Step().Rollouts;
        Assert.Equal(options.BatchSize, rollouts.Count);

        // The trainer's rollout again: its first draw from a generator seeded Seed + 1, on the unchanged policy.
        var sampling = new SamplingOptions { MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature };
        using var generator = new Generator(unchecked((ulong)options.Seed + 1), CPU);
        using var generated = Sampler.Generate(before.Policy, rollouts.Select(r => before.Tokenizer.EncodePrompt(r.Prompt)).ToArray(),
            sampling, generator, before.Tokenizer);
        Assert.Equal(rollouts.Select(r => r.Completion), generated.CompletionTexts);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var completion = generated.Sequences.narrow(1, generated.PromptLength, generated.CompletionLength);
        var logits = ParityModel.TeacherForcedLogits(after.Policy, generated.Sequences, generated.AttentionMask, generated.PromptLength, options.Temperature);
        var logpAfter = logits.log_softmax(-1).gather(-1, completion.unsqueeze(-1)).squeeze(-1);
        var change = ((logpAfter - generated.LogProbs) * generated.CompletionMask).sum(1).data<float>().ToArray();   // per completion

        var positive = rollouts.Select((r, i) => (r.Advantage!.Value, change[i])).Where(x => x.Value > 1e-6).Select(x => (double)x.Item2).ToArray();
        var negative = rollouts.Select((r, i) => (r.Advantage!.Value, change[i])).Where(x => x.Value < -1e-6).Select(x => (double)x.Item2).ToArray();
        output.WriteLine($"{algorithm}: Δ log-prob, positive advantage {positive.Average():+0.0000;-0.0000} (n {positive.Length}), " +
                         $"negative {negative.Average():+0.0000;-0.0000} (n {negative.Length})");
        Assert.True(positive.Length > 0 && negative.Length > 0, "The batch needs both signs of advantage.");
        Assert.True(positive.Average() > 0, $"Positive-advantage completions should become likelier: mean Δ log-prob {positive.Average():G3}.");
        Assert.True(negative.Average() < 0, $"Negative-advantage completions should become less likely: mean Δ log-prob {negative.Average():G3}.");
    }
}
