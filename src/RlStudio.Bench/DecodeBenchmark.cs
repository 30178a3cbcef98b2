using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>Greedy decoding of a fixed number of tokens (EOS ignored) through the engine's sampler.</summary>
public sealed class DecodeBenchmark : IDisposable
{
    private readonly CausalLm model;
    private readonly int[][] prompts;
    private readonly int newTokens;

    public DecodeBenchmark(ModelConfig config, int batch, int promptTokens, int newTokens, long seed = 1)
    {
        if (promptTokens + newTokens > config.MaxSeq)
            throw new ArgumentException($"{promptTokens} + {newTokens} tokens do not fit MaxSeq {config.MaxSeq}.");
        model = new CausalLm(config);
        using var generator = new Generator((ulong)seed, CPU);
        model.InitializeWeights(generator);
        model.eval();
        var random = new Random((int)seed);
        prompts = Enumerable.Range(0, batch)
            .Select(_ => Enumerable.Range(0, promptTokens).Select(_ => random.Next(256)).ToArray())
            .ToArray();
        this.newTokens = newTokens;
    }

    /// <summary>Generated tokens per call (batch × new tokens).</summary>
    public long Tokens => (long)prompts.Length * newTokens;

    public void Generate(bool useKvCache)
    {
        var options = new SamplingOptions { MaxNewTokens = newTokens, Temperature = 0, StopAtEos = false, UseKvCache = useKvCache };
        using var result = Sampler.Generate(model, prompts, options, null);
        if (result.CompletionLength != newTokens) throw new InvalidOperationException("Decoding stopped early.");
    }

    public void Dispose() => model.Dispose();
}
