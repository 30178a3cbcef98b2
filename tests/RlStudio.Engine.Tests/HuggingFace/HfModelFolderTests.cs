using System.Text.Json.Nodes;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tests.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.HuggingFace;

public sealed class HfModelFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("rlstudio-hf-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ModelConfig SmallConfig(int vocab, bool bias = false, bool tied = false) => ModelConfig.Tiny with
    {
        VocabSize = vocab, DModel = 64, Heads = 4, KvHeads = 2, FfnHidden = 96, TieEmbeddings = tied, AttentionBias = bias,
        RopeTheta = 1_000_000, NormEps = 1e-6,
    };

    private static CausalLm RandomModel(ModelConfig config, long seed = 3)
    {
        var model = CausalLmTests.TinyModel(seed, config);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed + 100, CPU);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            using var noise = randn(p.shape, generator: generator);
            p.copy_(noise);
        }
        return model;
    }

    private static Tensor Logits(CausalLm model, int[] tokens)
    {
        using var noGrad = no_grad();
        using var input = tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0);
        return model.call(input);
    }

    private static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var same = a.eq(b);
        using var all = same.all();
        return all.item<bool>();
    }

    /// <summary>A folder as Hugging Face writes one: snake_case config, "model."-prefixed keys, tokenizer.json.</summary>
    private void WriteByHand(CausalLm model, string modelType, string tokenizerJson)
    {
        var c = model.Config;
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(modelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = modelType, ["hidden_size"] = c.DModel, ["intermediate_size"] = c.FfnHidden,
            ["num_hidden_layers"] = c.Layers, ["num_attention_heads"] = c.Heads, ["num_key_value_heads"] = c.KvHeads,
            ["rms_norm_eps"] = c.NormEps, ["rope_theta"] = c.RopeTheta, ["vocab_size"] = c.VocabSize,
            ["max_position_embeddings"] = c.MaxSeq, ["tie_word_embeddings"] = c.TieEmbeddings, ["hidden_act"] = "silu",
            ["eos_token_id"] = c.VocabSize - 3, ["bos_token_id"] = c.VocabSize - 3, ["rope_scaling"] = null,
            ["torch_dtype"] = "bfloat16", ["use_cache"] = true,
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizerJson);
        var tensors = model.named_parameters()
            .Select(p => (p.name == "lm_head.weight" ? p.name : "model." + p.name, (Tensor)p.parameter))
            .Reverse()                                                    // file order must not matter
            .ToList();
        Safetensors.Write(Path.Combine(folder, "model.safetensors"), tensors);
    }

    [Fact]
    public void Load_LlamaFolderWrittenByHand_LogitsIdenticalToInMemoryModel()
    {
        var tokenizerJson = TinyBpe.Json();
        var vocab = ByteLevelBpeTokenizer.FromJson(tokenizerJson).VocabularySize;
        using var original = RandomModel(SmallConfig(vocab));
        WriteByHand(original, "llama", tokenizerJson);

        using var loaded = HfModelFolder.Load(folder);
        Assert.Equal(original.Config, loaded.Model.Config);
        var prompt = loaded.Tokenizer.EncodePrompt("the cat sat");
        using var expected = Logits(original, prompt);
        using var actual = Logits(loaded.Model, prompt);
        Assert.True(Identical(expected, actual), "tensors differ");
        Assert.Equal(vocab - 3, loaded.Tokenizer.EosId);
    }

    [Fact]
    public void Load_Qwen2FolderWithBiases_LoadsBiasesAndLogitsIdentical()
    {
        var tokenizerJson = TinyBpe.Json();
        var vocab = ByteLevelBpeTokenizer.FromJson(tokenizerJson).VocabularySize;
        using var original = RandomModel(SmallConfig(vocab, bias: true, tied: true));
        Assert.Contains(original.named_parameters(), p => p.name == "layers.0.self_attn.q_proj.bias");
        WriteByHand(original, "qwen2", tokenizerJson);

        using var loaded = HfModelFolder.Load(folder);
        Assert.True(loaded.Model.Config.AttentionBias);
        var prompt = loaded.Tokenizer.Encode("the dog ate 12 hats");
        using var expected = Logits(original, prompt);
        using var actual = Logits(loaded.Model, prompt);
        Assert.True(Identical(expected, actual), "tensors differ");
    }

    [Fact]
    public void Export_ThenLoad_ByteTokenizerModel_IdenticalLogitsAndTokens()
    {
        using var original = CausalLmTests.TinyModel(seed: 5, ModelConfig.Tiny with { TieEmbeddings = false });
        HfModelFolder.Export(original, ByteTokenizer.Instance, folder);
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));

        using var loaded = HfModelFolder.Load(folder);
        Assert.Equal(original.Config, loaded.Model.Config);
        Assert.Equal(ByteTokenizer.EncodePrompt("12+7="), loaded.Tokenizer.EncodePrompt("12+7="));
        Assert.Equal(ByteTokenizer.Eos, loaded.Tokenizer.EosId);
        Assert.Equal(ByteTokenizer.Pad, loaded.Tokenizer.PadId);
        using var expected = Logits(original, ByteTokenizer.EncodePrompt("12+7="));
        using var actual = Logits(loaded.Model, loaded.Tokenizer.EncodePrompt("12+7="));
        Assert.True(Identical(expected, actual), "tensors differ");

        var options = new SamplingOptions { MaxNewTokens = 6, Temperature = 0 };
        using var a = Sampler.Generate(original, [ByteTokenizer.EncodePrompt("9+9=")], options, null);
        using var b = Sampler.Generate(loaded.Model, [loaded.Tokenizer.EncodePrompt("9+9=")], options, null, loaded.Tokenizer);
        Assert.True(Identical(a.Sequences, b.Sequences), "tensors differ");
        Assert.Equal(a.CompletionTexts, b.CompletionTexts);
    }

    [Fact]
    public void Export_Sharded_LoadsThroughIndex()
    {
        var tokenizerJson = TinyBpe.Json();
        var tokenizer = ByteLevelBpeTokenizer.FromJson(tokenizerJson);
        using var original = RandomModel(SmallConfig(tokenizer.VocabularySize, bias: true));
        HfModelFolder.Export(original, tokenizer, folder, maxShardBytes: 64 * 1024);

        Assert.False(File.Exists(Path.Combine(folder, "model.safetensors")));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.safetensors.index.json")))!;
        var shards = index["weight_map"]!.AsObject().Select(p => (string)p.Value!).Distinct().ToArray();
        Assert.True(shards.Length > 1, "several shards");
        Assert.All(shards, s => Assert.True(File.Exists(Path.Combine(folder, s))));
        Assert.Equal(tokenizerJson, File.ReadAllText(Path.Combine(folder, "tokenizer.json")));

        using var loaded = HfModelFolder.Load(folder);
        var prompt = loaded.Tokenizer.Encode("then the cat");
        using var expected = Logits(original, prompt);
        using var actual = Logits(loaded.Model, prompt);
        Assert.True(Identical(expected, actual), "tensors differ");
    }

    [Fact]
    public void Load_MissingWeight_Throws()
    {
        var tokenizerJson = TinyBpe.Json();
        using var original = RandomModel(SmallConfig(ByteLevelBpeTokenizer.FromJson(tokenizerJson).VocabularySize));
        WriteByHand(original, "llama", tokenizerJson);
        var path = Path.Combine(folder, "model.safetensors");
        var kept = new List<(string, Tensor)>();
        Safetensors.Read(path, (name, t) => { if (name != "model.norm.weight") kept.Add((name, t.clone())); });
        Safetensors.Write(path, kept);
        foreach (var (_, t) in kept) t.Dispose();

        var error = Assert.Throws<InvalidDataException>(() => HfModelFolder.Load(folder));
        Assert.Contains("model.norm.weight", error.Message);
    }

    [Fact]
    public void Read_Bf16Tensor_WidensToFloat32()
    {
        var path = Path.Combine(folder, "bf16.safetensors");
        var header = """{"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"""u8.ToArray();
        using (var file = File.Create(path))
        {
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            file.Write([0x80, 0x3F, 0x00, 0xC0]);   // 1.0, -2.0
        }
        float[]? values = null;
        Safetensors.Read(path, (_, t) => values = t.data<float>().ToArray());
        Assert.Equal([1f, -2f], values!);
    }
}
