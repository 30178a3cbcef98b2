using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Causal self-attention with RoPE and grouped-query attention (kvHeads ≤ heads).</summary>
public sealed class Attention : nn.Module<Tensor, AttentionContext, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly int layerIndex;

    public Attention(ModelConfig config, int layerIndex, string name = "Attention") : base(name)
    {
        heads = config.Heads;
        kvHeads = config.KvHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        q_proj = nn.Linear(config.DModel, heads * headDim, hasBias: false);
        k_proj = nn.Linear(config.DModel, kvHeads * headDim, hasBias: false);
        v_proj = nn.Linear(config.DModel, kvHeads * headDim, hasBias: false);
        o_proj = nn.Linear(heads * headDim, config.DModel, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, AttentionContext ctx)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        using var qProj = q_proj.call(x);
        using var kProj = k_proj.call(x);
        using var vProj = v_proj.call(x);
        using var qHeads = qProj.view(b, t, heads, headDim).transpose(1, 2);    // (B, H, T, D)
        using var kHeads = kProj.view(b, t, kvHeads, headDim).transpose(1, 2);  // (B, Hkv, T, D)
        using var vHeads = vProj.view(b, t, kvHeads, headDim).transpose(1, 2);  // (B, Hkv, T, D)
        using var q = RotaryEmbedding.Apply(qHeads, ctx.Cos, ctx.Sin);
        using var kNew = RotaryEmbedding.Apply(kHeads, ctx.Cos, ctx.Sin);

        var (k, v) = ctx.Cache is { } cache ? cache.Write(layerIndex, kNew, vHeads) : (kNew.alias(), vHeads.alias());
        using var kAll = k;                                                      // (B, Hkv, Tk, D)
        using var vAll = v;
        var repeat = heads / kvHeads;
        using var kRep = repeat == 1 ? kAll.alias() : kAll.repeat_interleave(repeat, dim: 1);  // (B, H, Tk, D)
        using var vRep = repeat == 1 ? vAll.alias() : vAll.repeat_interleave(repeat, dim: 1);
        using var y = nn.functional.scaled_dot_product_attention(q, kRep, vRep, attn_mask: ctx.Mask); // (B, H, T, D)
        using var merged = y.transpose(1, 2).reshape(b, t, heads * headDim);
        return o_proj.call(merged);
    }
}
