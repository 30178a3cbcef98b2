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
        using var meanSquare = x.pow(2).mean([-1L], keepdim: true);
        using var inverseRms = (meanSquare + eps).rsqrt_();
        using var normed = x * inverseRms;
        return normed * weight;
    }
}
