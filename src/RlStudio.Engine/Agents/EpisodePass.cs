using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Agents;

/// <summary>What <see cref="EpisodeBatch.Forward"/> computed. Owns its tensors.</summary>
public sealed record EpisodePass(Tensor Logits, Tensor LogProbs, Tensor? Values) : IDisposable
{
    /// <summary>Mean entropy of the agent targets' distributions (no grad).</summary>
    public double MeanEntropy(Tensor mask) => TokenLogProbs.MaskedMeanEntropy(Logits, mask);

    public void Dispose()
    {
        Logits.Dispose();
        LogProbs.Dispose();
        Values?.Dispose();
    }
}
