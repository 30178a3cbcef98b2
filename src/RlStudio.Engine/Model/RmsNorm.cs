using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Root-mean-square layer norm (Zhang &amp; Sennrich 2019), as in Llama: x / rms(x) · weight.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(int dim, double eps, string name = "RmsNorm") : base(name)
    {
        weight = new Parameter(ones(dim));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // square() is pow(2) with a temporary Scalar the GC may free during the native call (seen once: "Unknown scalar
        // type"); this is the same call with the Scalar held until the end of the method, so the numbers are unchanged.
        using var two = 2.ToScalar();
        using var square = x.pow(two);
        using var inverseRms = square.mean([-1L], keepdim: true).add_(eps).rsqrt_();   // (…, 1)
        using var normed = x * inverseRms;
        return normed * weight;
    }
}
