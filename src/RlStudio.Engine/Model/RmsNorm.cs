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
        using var square = x.square();
        using var inverseRms = square.mean([-1L], keepdim: true).add_(eps).rsqrt_();   // (…, 1)
        using var normed = x * inverseRms;
        return normed * weight;
    }
}
