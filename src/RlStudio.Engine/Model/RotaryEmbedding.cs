using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Rotary position embedding (Su et al. 2021), "rotate half" layout as in Hugging Face Llama.</summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin tables for the given positions: (B, T) → two (B, 1, T, headDim) tensors.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positions, int headDim, double theta)
    {
        using var scope = NewDisposeScope();
        var half = headDim / 2;
        var invFreq = pow(theta, -arange(0, half, dtype: ScalarType.Float64, device: positions.device) * 2.0 / headDim)
            .to(ScalarType.Float32);                                        // (D/2)
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * invFreq; // (B, T, D/2)
        var emb = cat([freqs, freqs], -1).unsqueeze(1);                      // (B, 1, T, D)
        var cos = emb.cos();
        var sin = emb.sin();
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>x · cos + rotate_half(x) · sin, for x of shape (B, H, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        using var x1 = x.narrow(-1, 0, half);
        using var x2 = x.narrow(-1, half, half);
        using var negX2 = x2.neg();
        using var rotated = cat([negX2, x1], -1);
        using var a = x * cos;
        using var b = rotated * sin;
        return a + b;
    }
}
