using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>
/// The scalar loss (with grad) plus detached diagnostics over the completion tokens: the share clipped on each side
/// (<see cref="ClipFracLow"/>: ratio below 1 − ε_low with A &lt; 0; <see cref="ClipFracHigh"/>: above 1 + ε_high with A &gt; 0;
/// <see cref="ClipFrac"/> either), the k3 KL to the reference, the approximate KL of the current policy from the one that
/// sampled (k3 of old vs current, cleanrl's approx_kl), and the ratio's mean and max. Owns its tensors.
/// </summary>
public sealed record PolicyLossResult(Tensor Loss, Tensor TokenLoss, Tensor ClipFrac, Tensor Kl,
    Tensor ClipFracLow, Tensor ClipFracHigh, Tensor ApproxKl, Tensor RatioMean, Tensor RatioMax) : IDisposable
{
    public void Dispose()
    {
        foreach (var tensor in new[] { Loss, TokenLoss, ClipFrac, Kl, ClipFracLow, ClipFracHigh, ApproxKl, RatioMean, RatioMax }) tensor.Dispose();
    }
}
