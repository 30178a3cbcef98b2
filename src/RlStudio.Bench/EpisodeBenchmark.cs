using System.Text.Json;
using RlStudio.Engine.Agents;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Environments;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// Multi-turn sampling: a step's episodes (tasks × G) played at once, one batched generation per turn across every
/// episode still going (<see cref="EpisodeRunner"/>), against the same episodes played one at a time, and against one
/// single-turn generation of the same batch (what a single-turn step samples). An untrained model writes no valid
/// action, so every episode runs all its turns: the work is the same in each arm.
/// </summary>
public sealed class EpisodeBenchmark : IDisposable
{
    public const int MaxTurns = 4;
    private const int TurnTokens = 8;

    private readonly CausalLm model;
    private readonly EnvironmentTask[] episodes;
    private readonly SamplingOptions turn = new() { MaxNewTokens = TurnTokens, Temperature = 1.0, StopAtEos = false };

    public EpisodeBenchmark(ModelConfig config, int tasks, int groupSize)
    {
        model = new CausalLm(config);
        using var generator = new Generator(1, CPU);
        model.InitializeWeights(generator);
        model.eval();
        var max = new Dictionary<string, JsonElement> { ["max"] = JsonSerializer.SerializeToElement(1000) };
        episodes = Enumerable.Range(0, tasks)
            .SelectMany(seed => Enumerable.Repeat(new EnvironmentTask(NumberGuessEnvironment.Name, "Find the number.", seed, max), groupSize))
            .ToArray();
    }

    public int Episodes => episodes.Length;

    /// <summary>All episodes at once: one generation of the going episodes per turn.</summary>
    public void Batched() => Play(episodes);

    /// <summary>The same episodes one after another.</summary>
    public void Sequential()
    {
        foreach (var episode in episodes) Play([episode]);
    }

    /// <summary>One single-turn generation of the same batch (each episode's first prompt, one turn's tokens).</summary>
    public void SingleTurn()
    {
        var prompts = episodes.Select(e => TrajectoryLayout.Lay(Engine.Tokenization.ByteTokenizer.Instance,
            [new ConversationMessage(false, EnvironmentCatalog.Get(e.Env).Create().Reset(e))]).Tokens).ToArray();
        using var noGrad = no_grad();
        using var generator = new Generator(2, CPU);
        using var result = Sampler.Generate(model, prompts, turn, generator, Engine.Tokenization.ByteTokenizer.Instance);
    }

    private void Play(IReadOnlyList<EnvironmentTask> tasks)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(2, CPU);
        var played = EpisodeRunner.Play(tasks, ModelPolicy.Of(model, Engine.Tokenization.ByteTokenizer.Instance, turn, generator),
            new EpisodeSettings(MaxTurns));
        if (played.Any(e => e.Turns.Count != MaxTurns)) throw new InvalidOperationException("An episode ended early; the arms would differ in work.");
    }

    public void Dispose() => model.Dispose();
}
