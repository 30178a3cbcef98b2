using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// Rotary position embedding (Su et al. 2021), "rotate half" layout as in Hugging Face Llama. The cos/sin
/// tables for every position up to <c>maxPositions</c> are computed once, so a decode step only looks rows up.
/// Not a module: the tables are derived state, never part of a checkpoint.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private Tensor cos;         // (maxPositions, D)
    private Tensor signedSin;   // (maxPositions, D): [-sin, sin], so rotate_half(x) · sin = roll(x, D/2) · signedSin

    public RotaryEmbedding(int headDim, double theta, int maxPositions)
    {
        using var scope = NewDisposeScope();
        var half = headDim / 2;
        var invFreq = pow(theta, -arange(0, half, dtype: ScalarType.Float64) * 2.0 / headDim)
            .to(ScalarType.Float32);                                                        // (D/2)
        var freqs = arange(maxPositions, dtype: ScalarType.Float32).unsqueeze(-1) * invFreq; // (P, D/2)
        cos = cat([freqs.cos(), freqs.cos()], -1).DetachFromDisposeScope();
        signedSin = cat([freqs.sin().neg(), freqs.sin()], -1).DetachFromDisposeScope();
    }

    /// <summary>cos and signed-sin rows for the given positions: (B, T) → two (B, 1, T, D) tensors.</summary>
    public (Tensor Cos, Tensor SignedSin) Lookup(Tensor positions)
    {
        if (cos.device != positions.device)
        {
            cos = Move(cos, positions.device);
            signedSin = Move(signedSin, positions.device);
        }
        var (b, t) = (positions.shape[0], positions.shape[1]);
        using var flat = positions.reshape(-1);
        using var cosRows = cos.index_select(0, flat);
        using var sinRows = signedSin.index_select(0, flat);
        return (cosRows.view(b, 1, t, -1), sinRows.view(b, 1, t, -1));
    }

    /// <summary>x · cos + rotate_half(x) · sin, for x of shape (B, H, T, D) and tables from <see cref="Lookup"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var rolled = x.roll(x.shape[^1] / 2, -1);   // [x2, x1]
        using var a = x * cos;
        return a.addcmul(rolled, signedSin, 1);
    }

    public void Dispose()
    {
        cos.Dispose();
        signedSin.Dispose();
    }

    private static Tensor Move(Tensor table, Device device)
    {
        var moved = table.to(device).DetachFromDisposeScope();
        table.Dispose();
        return moved;
    }
}
