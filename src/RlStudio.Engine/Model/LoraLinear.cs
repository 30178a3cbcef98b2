using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// A linear layer with a low-rank adapter: y = x Wᵀ + b + scale · (x Aᵀ) Bᵀ. The base keeps a plain linear
/// layer's keys (<c>weight</c>, <c>bias</c>), so base checkpoints load by name; the adapter adds <c>lora_A</c>
/// (rank × in, Kaiming-uniform) and <c>lora_B</c> (out × rank, zero), so a fresh adapter changes nothing.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Parameter lora_A;
    private readonly Parameter lora_B;
    private readonly double scale;

    public LoraLinear(int inFeatures, int outFeatures, bool hasBias, LoraOptions options, string name = "LoraLinear") : base(name)
    {
        using var template = nn.Linear(inFeatures, outFeatures, hasBias);   // the base layer's default init
        weight = new Parameter(template.weight!.detach().clone());
        bias = hasBias ? new Parameter(template.bias!.detach().clone()) : null;
        lora_A = new Parameter(empty(options.Rank, inFeatures));
        lora_B = new Parameter(zeros(outFeatures, options.Rank));
        using (no_grad()) nn.init.kaiming_uniform_(lora_A, a: Math.Sqrt(5));
        scale = options.Scale;
        RegisterComponents();
    }

    /// <summary>False: the layer computes its base weight only (the adapter-free model, e.g. as a frozen reference).</summary>
    internal bool AdapterEnabled { get; set; } = true;

    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.linear(x, weight, bias);
        if (!AdapterEnabled) return y;
        using var down = nn.functional.linear(x, lora_A);           // (…, r)
        using var up = nn.functional.linear(down, lora_B);          // (…, out)
        return y.add_(up, scale);
    }

    /// <summary>W + scale · B A: the weight of the equivalent plain linear layer (a new tensor).</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        using var delta = lora_B.matmul(lora_A);
        return weight.add(delta, scale);
    }

    /// <summary>
    /// Re-draws A from <paramref name="generator"/> (Kaiming-uniform with a = √5, i.e. U(−1/√in, 1/√in)) and zeroes B,
    /// so a run's adapters depend only on its seed.
    /// </summary>
    public void ResetAdapter(Generator generator)
    {
        using var noGrad = no_grad();
        var bound = 1.0 / Math.Sqrt(lora_A.shape[1]);
        using var uniform = rand(lora_A.shape, dtype: lora_A.dtype, generator: generator);
        using var scaled = uniform * (2 * bound) - bound;
        lora_A.copy_(scaled);
        lora_B.zero_();
    }

    /// <summary>Makes only the adapter trainable (base weight and bias frozen).</summary>
    public void FreezeBase()
    {
        weight.requires_grad = false;
        if (bias is not null) bias.requires_grad = false;
    }
}
