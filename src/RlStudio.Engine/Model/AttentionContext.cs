using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// What every layer's attention needs besides x: RoPE rows (B, 1, T, D), the attention mask (B, 1, T, Tk)
/// or null for a plain causal batch (no padding, no cache), and the cache.
/// </summary>
public sealed record AttentionContext(Tensor Cos, Tensor SignedSin, Tensor? Mask, KvCache? Cache);
