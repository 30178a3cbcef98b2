using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Causal self-attention with RoPE and grouped-query attention (kvHeads ≤ heads); optional q/k/v bias (Qwen2).</summary>
public sealed class Attention : nn.Module<Tensor, AttentionContext, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> q_proj;
    private readonly nn.Module<Tensor, Tensor> k_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;
    private readonly nn.Module<Tensor, Tensor> o_proj;
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
        q_proj = Projection.Create(config, nameof(q_proj), config.DModel, heads * headDim, config.AttentionBias);
        k_proj = Projection.Create(config, nameof(k_proj), config.DModel, kvHeads * headDim, config.AttentionBias);
        v_proj = Projection.Create(config, nameof(v_proj), config.DModel, kvHeads * headDim, config.AttentionBias);
        o_proj = Projection.Create(config, nameof(o_proj), heads * headDim, config.DModel, hasBias: false);
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
        using var q = RotaryEmbedding.Apply(qHeads, ctx.Cos, ctx.SignedSin);
        using var kNew = RotaryEmbedding.Apply(kHeads, ctx.Cos, ctx.SignedSin);

        var (k, v) = ctx.Cache is { } cache ? cache.Write(layerIndex, kNew, vHeads) : (kNew.alias(), vHeads.alias());
        using var kAll = k;                                                      // (B, Hkv, Tk, D)
        using var vAll = v;
        using var merged = t == 1 && ctx.Mask is not null
            ? AttendOneQuery(q, kAll, vAll, ctx.Mask, b)
            : AttendAll(q, kAll, vAll, ctx.Mask, b, t);                         // (B, T, H·D)
        return o_proj.call(merged);
    }

    /// <summary>Prefill and training: keys repeated to every query head; causal without a mask when there is none.</summary>
    private Tensor AttendAll(Tensor q, Tensor k, Tensor v, Tensor? mask, long b, long t)
    {
        var repeat = heads / kvHeads;
        using var kRep = repeat == 1 ? k.alias() : k.repeat_interleave(repeat, dim: 1);  // (B, H, Tk, D)
        using var vRep = repeat == 1 ? v.alias() : v.repeat_interleave(repeat, dim: 1);
        using var y = mask is null
            ? nn.functional.scaled_dot_product_attention(q, kRep, vRep, is_casual: true)
            : nn.functional.scaled_dot_product_attention(q, kRep, vRep, attn_mask: mask);  // (B, H, T, D)
        using var yt = y.transpose(1, 2);
        return yt.reshape(b, t, heads * headDim);
    }

    /// <summary>
    /// One decode step: the query heads sharing a KV head become that head's rows, (B, Hkv, H/Hkv, D), so the
    /// cache is read in place instead of repeated; the (B, 1, 1, Tk) mask is the same for every row.
    /// </summary>
    private Tensor AttendOneQuery(Tensor q, Tensor k, Tensor v, Tensor mask, long b)
    {
        using var grouped = q.reshape(b, kvHeads, heads / kvHeads, headDim);
        using var y = nn.functional.scaled_dot_product_attention(grouped, k, v, attn_mask: mask);  // (B, Hkv, H/Hkv, D)
        return y.reshape(b, 1, heads * headDim);
    }
}
