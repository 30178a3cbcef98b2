using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Model;

public sealed class LoraTests
{
    private static readonly LoraOptions Lora = new() { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"] };

    /// <summary>A LoRA model with the base weights of <paramref name="seed"/> and non-zero (trained-looking) adapters.</summary>
    private static CausalLm LoraModel(long seed)
    {
        using var plain = CausalLmTests.TinyModel(seed);
        var model = new CausalLm(ModelConfig.Tiny with { Lora = Lora });
        using var noGrad = no_grad();
        var target = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in plain.named_parameters()) target[name].copy_(p);
        using var generator = new Generator(99, CPU);
        foreach (var (name, p) in model.named_parameters().Where(p => CausalLm.IsAdapter(p.name)))
        {
            using var noise = randn(p.shape, generator: generator) * 0.1;
            p.copy_(noise);
        }
        return model;
    }

    private static Tensor Logits(CausalLm model)
    {
        using var noGrad = no_grad();
        using var tokens = tensor(ByteTokenizer.EncodePrompt("12+34=46").Select(t => (long)t).ToArray()).unsqueeze(0);
        return model.call(tokens);
    }

    [Fact]
    public void Constructor_Lora_OnlyAdaptersTrainable()
    {
        using var model = new CausalLm(ModelConfig.Tiny with { Lora = Lora });
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToArray();
        Assert.Equal(ModelConfig.Tiny.Layers * 3 * 2, trainable.Length);
        Assert.All(trainable, name => Assert.True(CausalLm.IsAdapter(name), name));
        Assert.Contains("layers.0.self_attn.q_proj.lora_A", trainable);
        Assert.Equal(trainable.Length, model.TrainableParameters().Count());
        using var plain = new CausalLm(ModelConfig.Tiny);
        Assert.Equal(plain.named_parameters().Select(p => p.name),
            model.named_parameters().Select(p => p.name).Where(n => !CausalLm.IsAdapter(n)));
    }

    [Fact]
    public void FreshAdapter_ChangesNothing()
    {
        using var plain = CausalLmTests.TinyModel(seed: 4);
        using var model = new CausalLm(ModelConfig.Tiny with { Lora = Lora });
        using (no_grad())
        {
            var target = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, p) in plain.named_parameters()) target[name].copy_(p);
        }
        using var expected = Logits(plain);
        using var actual = Logits(model);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
    }

    [Fact]
    public void MergeLora_ForwardAgreesWithUnmerged()
    {
        using var model = LoraModel(seed: 6);
        using var merged = model.MergeLora();
        Assert.Null(merged.Config.Lora);
        using var unmergedLogits = Logits(model);
        using var mergedLogits = Logits(merged);
        using var plain = CausalLmTests.TinyModel(seed: 6);
        using var plainLogits = Logits(plain);
        Assert.True(unmergedLogits.allclose(mergedLogits, rtol: 1e-4, atol: 1e-4));
        Assert.False(unmergedLogits.allclose(plainLogits, rtol: 1e-4, atol: 1e-4), "the adapters should matter");
    }

    [Fact]
    public void Export_LoraModel_WritesMergedPlainModel()
    {
        var folder = Directory.CreateTempSubdirectory("rlstudio-lora-").FullName;
        try
        {
            using var model = LoraModel(seed: 8);
            HfModelFolder.Export(model, ByteTokenizer.Instance, folder);
            Assert.DoesNotContain("lora", string.Join(",", Safetensors.Names(Path.Combine(folder, "model.safetensors"))));
            using var loaded = HfModelFolder.Load(folder);
            using var expected = Logits(model);
            using var actual = Logits(loaded.Model);
            Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-4));

            using var adapted = HfModelFolder.Load(folder, Lora);    // a new adapter on the exported base
            Assert.True(adapted.Model.TrainableParameters().All(p => p.requires_grad));
            using var fresh = Logits(adapted.Model);
            Assert.True(fresh.allclose(actual, rtol: 0, atol: 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TrainStep_Lora_UpdatesOnlyAdapters()
    {
        using var model = LoraModel(seed: 2);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = TorchSharp.torch.optim.AdamW(model.TrainableParameters(), 1e-2);
        using (var scope = NewDisposeScope())
        {
            var tokens = tensor(ByteTokenizer.EncodePrompt("1+1=2").Select(t => (long)t).ToArray()).unsqueeze(0);
            var logits = model.call(tokens.narrow(1, 0, 5));
            var loss = nn.functional.cross_entropy(logits.flatten(0, 1), tokens.narrow(1, 1, 5).flatten());
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        foreach (var (name, p) in model.named_parameters())
        {
            var changed = !p.allclose(before[name], rtol: 0, atol: 0);
            Assert.True(changed == CausalLm.IsAdapter(name), $"{name} changed: {changed}");
        }
        foreach (var t in before.Values) t.Dispose();
    }
}
