using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// Llama-style decoder-only language model: token embedding → N × (RMSNorm, RoPE attention, SwiGLU MLP)
/// → RMSNorm → LM head (optionally tied to the embedding).
/// </summary>
public sealed class CausalLm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly Linear? lm_head;
    private readonly RotaryEmbedding rotary;

    public CausalLm(ModelConfig config, string name = "CausalLm") : base(name)
    {
        config.Validate();
        Config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.DModel);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new DecoderLayer(config, i)).ToArray());
        norm = new RmsNorm(config.DModel, config.NormEps);
        lm_head = config.TieEmbeddings ? null : nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.MaxSeq);
        RegisterComponents();
        if (config.Lora is not null)
        {
            foreach (var (paramName, p) in named_parameters())
                p.requires_grad = IsAdapter(paramName);
        }
    }

    public ModelConfig Config { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The weights' element type: float32, or bfloat16 for a mixed-precision working copy.</summary>
    public ScalarType WeightType => embed_tokens.weight!.dtype;

    /// <summary>Parameters the optimizer should update: all of them, or only the LoRA adapters when the config has some.</summary>
    public IEnumerable<Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>
    /// The equivalent plain model (config without LoRA): adapters folded into their layers' weights, W + (α/r)·BA.
    /// A model without adapters is copied as is. The caller owns the result.
    /// </summary>
    public CausalLm MergeLora()
    {
        using var noGrad = no_grad();
        var merged = new CausalLm(Config with { Lora = null });
        var target = merged.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (paramName, p) in named_parameters().Where(p => !IsAdapter(p.name))) target[paramName].copy_(p);
        foreach (var (moduleName, module) in named_modules())
        {
            if (module is not LoraLinear lora) continue;
            using var weight = lora.MergedWeight();
            target[moduleName + ".weight"].copy_(weight);
        }
        return merged;
    }

    /// <summary>
    /// Switches every LoRA adapter off until the result is disposed: the model then computes its base weights' function,
    /// the frozen reference of a LoRA run (its base weights never train), without a second copy of the model.
    /// </summary>
    public IDisposable AdaptersOff()
    {
        var adapters = modules().OfType<LoraLinear>().Where(l => l.AdapterEnabled).ToArray();
        foreach (var adapter in adapters) adapter.AdapterEnabled = false;
        return new AdapterSwitch(adapters);
    }

    private sealed class AdapterSwitch(LoraLinear[] adapters) : IDisposable
    {
        public void Dispose()
        {
            foreach (var adapter in adapters) adapter.AdapterEnabled = true;
        }
    }

    /// <summary>
    /// A copy of this model (which must have no adapters) with fresh adapters of <paramref name="lora"/>: base weights
    /// copied and frozen, A drawn from <paramref name="generator"/>, B zero (so the copy computes the same function).
    /// The caller owns the result, on the CPU.
    /// </summary>
    public CausalLm WithLora(LoraOptions lora, Generator generator)
    {
        if (Config.Lora is not null) throw new InvalidOperationException("The model already has LoRA adapters; merge them first.");
        using var noGrad = no_grad();
        var adapted = new CausalLm(Config with { Lora = lora });
        var target = adapted.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (paramName, p) in named_parameters()) target[paramName].copy_(p);
        foreach (var (_, module) in adapted.named_modules())
        {
            if (module is LoraLinear adapter) adapter.ResetAdapter(generator);
        }
        return adapted;
    }

    /// <summary>True for a LoRA adapter matrix (lora_A, lora_B), which base checkpoints do not have.</summary>
    public static bool IsAdapter(string parameterName) =>
        parameterName.EndsWith(".lora_A", StringComparison.Ordinal) || parameterName.EndsWith(".lora_B", StringComparison.Ordinal);

    /// <summary>GPT-2 style init from an explicit generator: N(0, 0.02), residual outputs scaled by 1/√(2·layers).</summary>
    public void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (paramName, p) in named_parameters())
        {
            if (IsAdapter(paramName))
                continue;                                   // LoRA keeps its own init: A Kaiming-uniform, B zero
            if (paramName.EndsWith("layernorm.weight", StringComparison.Ordinal) || paramName == "norm.weight")
                p.fill_(1.0);
            else if (paramName.EndsWith("o_proj.weight", StringComparison.Ordinal) || paramName.EndsWith("down_proj.weight", StringComparison.Ordinal))
                FillNormal(p, residualStd, generator);
            else
                FillNormal(p, 0.02, generator);
        }
    }

    private static void FillNormal(Tensor p, double std, Generator generator)
    {
        using var noise = randn(p.shape, dtype: p.dtype, generator: generator);  // on the generator's (CPU) device
        using var scaled = noise * std;
        p.copy_(scaled);
    }

    /// <summary>Copies every parameter of <paramref name="source"/> (same config) into this model.</summary>
    public void CopyWeightsFrom(CausalLm source)
    {
        using var noGrad = no_grad();
        var mine = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (paramName, p) in source.named_parameters()) mine[paramName].copy_(p);
    }

    /// <summary>Plain causal forward of an unpadded batch: (B, T) tokens → (B, T, V) logits.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var positions = arange(tokens.shape[1], dtype: ScalarType.Int64, device: tokens.device)
            .unsqueeze(0).expand(tokens.shape[0], -1);
        return Forward(tokens, positions, keyMask: null, cache: null);
    }

    /// <summary>
    /// Forward with explicit positions (B, T), an optional key mask (B, T; false for padding; null when every
    /// token is real) and an optional KV cache (the new tokens are appended to it). Returns (B, T, V) logits.
    /// </summary>
    public Tensor Forward(Tensor tokens, Tensor positions, Tensor? keyMask, KvCache? cache)
    {
        using var hidden = Hidden(tokens, positions, keyMask, cache);
        return Logits(hidden);
    }

    /// <summary>Final-norm hidden states of an unpadded or right-padded batch: (B, T) tokens → (B, T, C).</summary>
    public Tensor Hidden(Tensor tokens)
    {
        using var positions = arange(tokens.shape[1], dtype: ScalarType.Int64, device: tokens.device)
            .unsqueeze(0).expand(tokens.shape[0], -1);
        return Hidden(tokens, positions, keyMask: null, cache: null);
    }

    /// <summary>As <see cref="Forward(Tensor, Tensor, Tensor?, KvCache?)"/> but stops at the final norm: (B, T, C) hidden states.</summary>
    public Tensor Hidden(Tensor tokens, Tensor positions, Tensor? keyMask, KvCache? cache)
    {
        var t = tokens.shape[1];
        var end = (cache?.Length ?? 0) + t;
        if (end > Config.MaxSeq)
            throw new ArgumentException($"{end} positions exceed the model's MaxSeq ({Config.MaxSeq}).");
        using var mask = BuildMask(keyMask, cache, t);                                           // (B, 1, T, Tk) or null
        var (cos, sin) = rotary.Lookup(positions);
        using var cosTable = cos;
        using var sinTable = sin;
        using var cosRows = cosTable.to(WeightType);                                              // bfloat16 for a working copy
        using var sinRows = sinTable.to(WeightType);
        var ctx = new AttentionContext(cosRows, sinRows, mask, cache);

        var x = embed_tokens.call(tokens);                                                        // (B, T, C)
        foreach (var layer in layers)
        {
            var next = layer.call(x, ctx);
            x.Dispose();
            x = next;
        }
        cache?.EndWrite((int)t);
        using var h = x;
        return norm.call(h);                                                                      // (B, T, C)
    }

    /// <summary>LM head over final hidden states: (B, T, C) → (B, T, V).</summary>
    public Tensor Logits(Tensor hidden) =>
        lm_head is null ? hidden.matmul(embed_tokens.weight!.t()) : lm_head.call(hidden);

    protected override void Dispose(bool disposing)
    {
        if (disposing) rotary.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Null for a plain causal batch (attention runs causal without a mask); the cache's valid keys as
    /// (B, 1, 1, Tk) for one new real token per row (it sees every written real key); else the full mask.
    /// </summary>
    private static Tensor? BuildMask(Tensor? keyMask, KvCache? cache, long t)
    {
        if (cache is null)
        {
            if (keyMask is null) return null;
            using var valid = keyMask.to(ScalarType.Bool);
            return AttentionMask(valid, 0, t);
        }
        var offset = cache.Length;
        using var keyValid = cache.BeginWrite(keyMask, t);                                        // (B, Tk)
        if (t == 1 && keyMask is null) return keyValid.view(keyValid.shape[0], 1, 1, -1);
        return AttentionMask(keyValid, offset, t);
    }

    /// <summary>Query i (absolute position offset + i) sees keys j ≤ offset + i that are real tokens, and always itself.</summary>
    private static Tensor AttentionMask(Tensor keyValid, int offset, long t)
    {
        var tk = keyValid.shape[1];
        using var q = arange(offset, offset + t, dtype: ScalarType.Int64, device: keyValid.device).unsqueeze(1); // (T, 1)
        using var k = arange(tk, dtype: ScalarType.Int64, device: keyValid.device).unsqueeze(0);                  // (1, Tk)
        using var causal = k.le(q);
        using var self = k.eq(q);
        using var visible = causal.unsqueeze(0).logical_and(keyValid.unsqueeze(1));                               // (B, T, Tk)
        using var withSelf = visible.logical_or(self.unsqueeze(0));
        return withSelf.unsqueeze(1);
    }
}
