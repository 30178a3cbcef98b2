using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>Reductions that count only masked-in elements (mask 1 = completion token, 0 = prompt or padding).</summary>
public static class MaskedMath
{
    /// <summary>Σ(values · mask) / Σ mask over all elements; 0 when the mask is empty.</summary>
    public static Tensor Mean(Tensor values, Tensor mask)
    {
        using var m = mask.to(values.dtype);
        using var weighted = values * m;
        using var total = weighted.sum();
        using var count = m.sum().clamp_min(1);
        return total / count;
    }

    /// <summary>Masked mean along <paramref name="dim"/>; rows with an empty mask give 0.</summary>
    public static Tensor Mean(Tensor values, Tensor mask, long dim)
    {
        using var m = mask.to(values.dtype);
        using var weighted = values * m;
        using var total = weighted.sum(dim);
        using var count = m.sum(dim).clamp_min(1);
        return total / count;
    }

    /// <summary>Masked sum along <paramref name="dim"/>.</summary>
    public static Tensor Sum(Tensor values, Tensor mask, long dim)
    {
        using var m = mask.to(values.dtype);
        using var weighted = values * m;
        return weighted.sum(dim);
    }

    /// <summary>Unbiased (n − 1) variance of the masked-in elements.</summary>
    public static Tensor Variance(Tensor values, Tensor mask)
    {
        using var m = mask.to(values.dtype);
        using var mean = Mean(values, m);
        using var centered = values - mean;
        using var squared = centered.square() * m;
        using var total = squared.sum();
        using var count = (m.sum() - 1).clamp_min(1);
        return total / count;
    }

    /// <summary>(x − mean) / std over masked-in elements (std unbiased); masked-out elements become 0.</summary>
    public static Tensor Whiten(Tensor values, Tensor mask, double eps = 1e-8)
    {
        using var m = mask.to(values.dtype);
        using var mean = Mean(values, m);
        using var variance = Variance(values, m);
        using var std = variance.sqrt();
        using var centered = values - mean;
        using var scaled = centered / (std + eps);
        return scaled * m;
    }
}
