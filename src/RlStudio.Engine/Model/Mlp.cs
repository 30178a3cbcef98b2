using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> gate_proj;
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;

    public Mlp(ModelConfig config, string name = "Mlp") : base(name)
    {
        gate_proj = Projection.Create(config, nameof(gate_proj), config.DModel, config.FfnHidden, hasBias: false);
        up_proj = Projection.Create(config, nameof(up_proj), config.DModel, config.FfnHidden, hasBias: false);
        down_proj = Projection.Create(config, nameof(down_proj), config.FfnHidden, config.DModel, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var gate = gate_proj.call(x);
        using var up = up_proj.call(x);
        if (!is_grad_enabled())
        {
            gate.silu_().mul_(up);                     // inference: in place, no autograd to preserve
            return down_proj.call(gate);
        }
        using var activated = nn.functional.silu(gate);
        using var hidden = activated * up;
        return down_proj.call(hidden);
    }
}
