using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Pre-norm transformer block: x = x + attn(norm(x)); x = x + mlp(norm(x)).</summary>
public sealed class DecoderLayer : nn.Module<Tensor, AttentionContext, Tensor>
{
    private readonly RmsNorm input_layernorm;
    private readonly Attention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly Mlp mlp;

    public DecoderLayer(ModelConfig config, int layerIndex, string name = "DecoderLayer") : base(name)
    {
        input_layernorm = new RmsNorm(config.DModel, config.NormEps);
        self_attn = new Attention(config, layerIndex);
        post_attention_layernorm = new RmsNorm(config.DModel, config.NormEps);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, AttentionContext ctx)
    {
        using var normed1 = input_layernorm.call(x);
        using var attended = self_attn.call(normed1, ctx);
        using var h = x + attended;
        using var normed2 = post_attention_layernorm.call(h);
        using var fed = mlp.call(normed2);
        return h + fed;
    }
}
