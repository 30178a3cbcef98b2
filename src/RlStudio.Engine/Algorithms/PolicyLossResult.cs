using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>The scalar loss (with grad) plus detached diagnostics; owns its tensors.</summary>
public sealed record PolicyLossResult(Tensor Loss, Tensor TokenLoss, Tensor ClipFrac, Tensor Kl) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        TokenLoss.Dispose();
        ClipFrac.Dispose();
        Kl.Dispose();
    }
}
