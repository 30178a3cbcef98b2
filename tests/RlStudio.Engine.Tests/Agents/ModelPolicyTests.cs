using RlStudio.Engine.Agents;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tests.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>A real (untrained) model plays episodes: turns within the token limit, episodes ended when the context is full.</summary>
public sealed class ModelPolicyTests
{
    [Fact]
    public void AModelPlaysBatchedEpisodes_WithinTheTurnLimitAndItsContext()
    {
        using var model = CausalLmTests.TinyModel(seed: 2, ModelConfig.Tiny with { MaxSeq = 160 });
        var tokenizer = ByteTokenizer.Instance;
        var policy = ModelPolicy.Of(model, tokenizer, new SamplingOptions { MaxNewTokens = 6, Temperature = 1.0 }, new Generator().manual_seed(4));
        var calls = 0;
        var tasks = Enumerable.Range(0, 4).Select(seed => new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", seed)).ToList();

        var episodes = EpisodeRunner.Play(tasks, conversations => { calls++; return policy(conversations); }, new EpisodeSettings(MaxTurns: 6));

        Assert.Equal(4, episodes.Count);
        Assert.InRange(calls, 1, 6);
        Assert.All(episodes, e =>
        {
            // The conversation keeps the sampled tokens (training lays out exactly those): at most 6 a turn.
            Assert.All(e.Conversation.Where(m => m.FromAgent), m => Assert.InRange(m.Tokens!.Length, 1, 6));
            Assert.True(TrajectoryLayout.ForTraining(tokenizer, e.Conversation).Tokens.Length <= 160);
            // An untrained model writes no valid guesses; its episodes end at the turn limit or when the context is full.
            Assert.True(e.Turns.Count == 6 || e.Info.ContainsKey("truncated"), $"{e.Turns.Count} turns");
        });
        Assert.Contains(episodes, e => e.Info.ContainsKey("truncated"));   // 160 tokens hold only a few turns
    }
}
