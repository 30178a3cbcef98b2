using RlStudio.Engine.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// One optimizer step of next-token cross-entropy on random tokens: forward, backward, clip, AdamW.
/// The same sequence as the engine's SFT update, without its evaluation decoding.
/// </summary>
public sealed class TrainStepBenchmark : IDisposable
{
    private readonly CausalLm model;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor tokens;
    private readonly Parameter[] parameters;

    public TrainStepBenchmark(ModelConfig config, int batch, int sequence, long seed = 1)
    {
        if (sequence + 1 > config.MaxSeq) throw new ArgumentException($"Sequence {sequence} does not fit MaxSeq {config.MaxSeq}.");
        model = new CausalLm(config);
        using var generator = new Generator((ulong)seed, CPU);
        model.InitializeWeights(generator);
        parameters = model.parameters().ToArray();
        optimizer = optim.AdamW(parameters, 1e-4, weight_decay: 0.01);
        tokens = randint(0, config.VocabSize, [batch, sequence + 1], generator: generator).DetachFromDisposeScope();
        Tokens = batch * sequence;
    }

    /// <summary>Trained tokens per step (batch × sequence).</summary>
    public long Tokens { get; }

    /// <summary>
    /// Model FLOPs of one step: 6 · N · tokens (N = parameters that take part in a matmul: an untied input
    /// embedding is a lookup and does not count) + attention 12 · layers · heads · headDim · T per token
    /// (QKᵀ and AV, forward and backward, counted without the causal half as in PaLM's accounting).
    /// </summary>
    public double FlopsPerStep()
    {
        var config = model.Config;
        var n = model.ParameterCount - (config.TieEmbeddings ? 0 : (long)config.VocabSize * config.DModel);
        var t = tokens.shape[1] - 1;
        return 6.0 * n * Tokens + 12.0 * config.Layers * config.Heads * config.HeadDim * t * Tokens;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        var t = tokens.shape[1] - 1;
        var inputs = tokens.narrow(1, 0, t);
        var targets = tokens.narrow(1, 1, t);
        var logits = model.call(inputs);                                              // (B, T, V)
        var loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten());
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, 1.0);
        optimizer.step();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        tokens.Dispose();
        model.Dispose();
    }
}
