using System.Text.Json;
using System.Text.Json.Nodes;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.HuggingFace;

/// <summary>
/// Local Hugging Face model folders of the Llama/Qwen2 family: <c>config.json</c>, <c>model.safetensors</c>
/// (or shards listed in <c>model.safetensors.index.json</c>) and a byte-level BPE <c>tokenizer.json</c>.
/// Checkpoint keys are the module field names with the <c>model.</c> prefix (<c>lm_head.weight</c> without).
/// </summary>
public static class HfModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>
    /// Reads config, weights (every parameter must be present) and tokenizer into a CPU model; with
    /// <paramref name="lora"/>, the base is frozen and fresh adapters (a no-op until trained) are added.
    /// </summary>
    public static HfModel Load(string folder, LoraOptions? lora = null)
    {
        var parsed = HfModelConfig.Parse(File.ReadAllText(Path.Combine(folder, ConfigFile)));
        var config = parsed with { Model = parsed.Model with { Lora = lora } };
        var tokenizer = ByteLevelBpeTokenizer.FromJson(File.ReadAllText(Path.Combine(folder, TokenizerFile)),
            config.EosTokenId, config.PadTokenId);
        var model = new CausalLm(config.Model);
        try
        {
            LoadWeights(model, folder);
            return new HfModel(model, tokenizer, config);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies the folder's weights into <paramref name="model"/> by name; throws on a missing, unknown or misshapen tensor.</summary>
    public static void LoadWeights(CausalLm model, string folder)
    {
        using var noGrad = no_grad();
        var parameters = model.named_parameters().Where(p => !CausalLm.IsAdapter(p.name)).ToDictionary(p => p.name, p => p.parameter);
        var loaded = new HashSet<string>();
        foreach (var file in WeightFiles(folder))
        {
            Safetensors.Read(file, (hfName, tensor) =>
            {
                var name = ModuleName(hfName);
                if (name is null || (name == "lm_head.weight" && model.Config.TieEmbeddings)) return;
                if (!parameters.TryGetValue(name, out var p))
                    throw new InvalidDataException($"{Path.GetFileName(file)} has '{hfName}', which the model does not have.");
                if (!p.shape.SequenceEqual(tensor.shape))
                    throw new InvalidDataException($"'{hfName}' is [{string.Join(", ", tensor.shape)}], the model expects [{string.Join(", ", p.shape)}].");
                p.copy_(tensor);
                loaded.Add(name);
            });
        }
        var missing = parameters.Keys.Except(loaded).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"The folder lacks {missing.Length} weights, e.g. '{HfName(missing[0])}'.");
    }

    /// <summary>
    /// Writes config.json, the weights (one file, or shards of at most <paramref name="maxShardBytes"/> with an index)
    /// and tokenizer.json. The byte tokenizer is written as a byte-level BPE with no merges (same ids).
    /// LoRA adapters are merged into their layers, so the folder is a plain model.
    /// </summary>
    public static void Export(CausalLm model, ITokenizer tokenizer, string folder, long? maxShardBytes = null)
    {
        if (model.Config.Lora is not null)
        {
            using var merged = model.MergeLora();
            Export(merged, tokenizer, folder, maxShardBytes);
            return;
        }
        Directory.CreateDirectory(folder);
        var tokenizerJson = tokenizer switch
        {
            ByteLevelBpeTokenizer bpe => bpe.Json,
            ByteTokenizer => ByteLevelBpeJson.Write([], ["<|pad|>", "<|bos|>", "<|eos|>"], "<|bos|>"),
            _ => throw new NotSupportedException($"Cannot export a {tokenizer.GetType().Name} as tokenizer.json."),
        };
        var bos = tokenizer switch
        {
            ByteLevelBpeTokenizer bpe => bpe.PromptPrefix.Count > 0 ? bpe.PromptPrefix[0] : (int?)null,
            ByteTokenizer => ByteTokenizer.Bos,
            _ => null,
        };
        var config = new HfModelConfig(model.Config, bos, tokenizer.EosId, tokenizer.PadId);
        File.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJson());
        File.WriteAllText(Path.Combine(folder, TokenizerFile), tokenizerJson);

        var tensors = model.named_parameters().Select(p => (HfName(p.name), (Tensor)p.parameter)).ToArray();
        var shards = Shard(tensors, maxShardBytes ?? long.MaxValue);
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        if (shards.Count == 1)
        {
            Safetensors.Write(Path.Combine(folder, WeightsFile), shards[0], metadata);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            Safetensors.Write(Path.Combine(folder, file), shards[i], metadata);
            foreach (var (name, _) in shards[i]) weightMap[name] = file;
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => Safetensors.SizeOf(t.Item2)) },
            ["weight_map"] = weightMap,
        };
        File.WriteAllText(Path.Combine(folder, IndexFile), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>model.safetensors, or the distinct shards named by the index, in index order.</summary>
    private static IEnumerable<string> WeightFiles(string folder)
    {
        var single = Path.Combine(folder, WeightsFile);
        if (File.Exists(single)) return [single];
        var indexPath = Path.Combine(folder, IndexFile);
        if (!File.Exists(indexPath)) throw new FileNotFoundException($"Neither {WeightsFile} nor {IndexFile} is in {folder}.");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        return index["weight_map"]!.AsObject().Select(p => (string)p.Value!).Distinct().Select(f => Path.Combine(folder, f)).ToArray();
    }

    private static List<(string Name, Tensor Tensor)[]> Shard((string Name, Tensor Tensor)[] tensors, long maxBytes)
    {
        var shards = new List<(string, Tensor)[]>();
        var current = new List<(string, Tensor)>();
        long bytes = 0;
        foreach (var t in tensors)
        {
            var size = Safetensors.SizeOf(t.Tensor);
            if (current.Count > 0 && bytes + size > maxBytes)
            {
                shards.Add(current.ToArray());
                (current, bytes) = ([], 0);
            }
            current.Add(t);
            bytes += size;
        }
        shards.Add(current.ToArray());
        return shards;
    }

    /// <summary>Checkpoint key → module parameter name; null for buffers a checkpoint may carry (rotary inv_freq).</summary>
    private static string? ModuleName(string hfName)
    {
        if (hfName.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)) return null;
        return hfName.StartsWith("model.", StringComparison.Ordinal) ? hfName["model.".Length..] : hfName;
    }

    private static string HfName(string moduleName) => moduleName == "lm_head.weight" ? moduleName : "model." + moduleName;
}
