using System.Text;
using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;
using RlStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Rewards;

/// <summary>
/// "reward_model": the scalar score a trained reward model (a <see cref="TrainingAlgorithm.RewardModel"/> run's
/// checkpoint) gives prompt prefix + prompt + completion + EOS (in the run's stored tokenizer) at its last token. Unscorable (null) when that row is
/// longer than the model's MaxSeq. Owns the model; not thread-safe.
/// </summary>
public sealed class RewardModelReward : IRewardFunction, IDisposable
{
    private readonly CausalLm model;
    private readonly ScalarHead head;
    private readonly Device device;
    private readonly ITokenizer tokenizer;

    /// <param name="checkpoint">A reward-model run's checkpoint stream (read to its head weights; left open).</param>
    /// <param name="name">Metric and rollout name. Default "reward_model".</param>
    /// <param name="batchSize">Rows scored per forward pass, ≥ 1. Default 64.</param>
    public RewardModelReward(Stream checkpoint, string name = "reward_model", int batchSize = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var reader = new BinaryReader(checkpoint, Encoding.UTF8, leaveOpen: true);
        var header = CheckpointFormat.ReadHeader(reader);
        if (header.Algorithm != TrainingAlgorithm.RewardModel || !header.HasHead)
            throw new ArgumentException($"The checkpoint was written by a {header.Algorithm} run, not a reward-model run.", nameof(checkpoint));
        device = cuda.is_available() ? CUDA : CPU;
        tokenizer = header.CreateTokenizer();
        model = CheckpointFormat.ReadModel(reader, header.Model).to(device);
        head = CheckpointFormat.ReadHead(reader, header.Model).to(device);
        model.eval();
        head.eval();
        Name = name;
        BatchSize = batchSize;
    }

    public string Name { get; }

    public int BatchSize { get; }

    public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions)
    {
        RewardBatch.CheckSameLength(examples, completions);
        var scores = new double?[completions.Count];
        var maxSeq = model.Config.MaxSeq;
        var scorable = Enumerable.Range(0, completions.Count)
            .Where(i => CompletionBatch.Encode(tokenizer, examples[i].Prompt, completions[i], maxSeq) is not null)
            .ToArray();
        using var noGrad = no_grad();
        foreach (var chunk in scorable.Chunk(BatchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = CompletionBatch.Build(tokenizer, chunk.Select(i => (examples[i].Prompt, completions[i])).ToArray(), device, maxSeq);
            using var values = batch.LastTokenScores(model, head).to(ScalarType.Float64).cpu();
            var array = values.data<double>().ToArray();
            for (var j = 0; j < chunk.Length; j++) scores[chunk[j]] = array[j];
        }
        return scores;
    }

    public void Dispose()
    {
        head.Dispose();
        model.Dispose();
    }
}
