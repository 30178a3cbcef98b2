using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>What every layer's attention needs besides x: RoPE tables, the attention mask and the cache.</summary>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor Mask, KvCache? Cache);
