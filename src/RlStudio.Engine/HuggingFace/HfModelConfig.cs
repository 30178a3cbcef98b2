using System.Text.Json.Nodes;
using RlStudio.Engine.Model;

namespace RlStudio.Engine.HuggingFace;

/// <summary>
/// Hugging Face <c>config.json</c> of the Llama/Qwen2 family ↔ <see cref="ModelConfig"/>, plus the special-token ids
/// it carries. Qwen2 always has q/k/v biases; Llama reads <c>attention_bias</c>.
/// </summary>
public sealed record HfModelConfig(ModelConfig Model, int? BosTokenId, int? EosTokenId, int? PadTokenId)
{
    public static HfModelConfig Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("config.json is empty.");
        var modelType = (string?)root["model_type"] ?? "llama";
        if (modelType is not ("llama" or "qwen2" or "mistral"))
            throw new NotSupportedException($"model_type '{modelType}' is not supported (llama, qwen2, mistral).");
        if ((string?)root["hidden_act"] is { } act && act != "silu")
            throw new NotSupportedException($"hidden_act '{act}' is not supported (silu).");
        if (root["rope_scaling"] is JsonObject)
            throw new NotSupportedException("rope_scaling is not supported.");
        int Int(string key) => (int?)root[key] ?? throw new InvalidDataException($"config.json lacks {key}.");
        var hidden = Int("hidden_size");
        var heads = Int("num_attention_heads");
        if ((int?)root["head_dim"] is { } headDim && headDim != hidden / heads)
            throw new NotSupportedException($"head_dim {headDim} ≠ hidden_size / num_attention_heads is not supported.");
        var model = new ModelConfig
        {
            VocabSize = Int("vocab_size"),
            DModel = hidden,
            Layers = Int("num_hidden_layers"),
            Heads = heads,
            KvHeads = (int?)root["num_key_value_heads"] ?? heads,
            FfnHidden = Int("intermediate_size"),
            MaxSeq = (int?)root["max_position_embeddings"] ?? 2048,
            RopeTheta = (double?)root["rope_theta"] ?? 10_000,
            NormEps = (double?)root["rms_norm_eps"] ?? 1e-6,
            TieEmbeddings = (bool?)root["tie_word_embeddings"] ?? false,
            AttentionBias = modelType == "qwen2" || ((bool?)root["attention_bias"] ?? false),
        };
        model.Validate();
        return new HfModelConfig(model, TokenId(root["bos_token_id"]), TokenId(root["eos_token_id"]), TokenId(root["pad_token_id"]));
    }

    /// <summary>config.json text: "qwen2" when the model has attention biases, else "llama".</summary>
    public string ToJson()
    {
        var qwen = Model.AttentionBias;
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = qwen ? "qwen2" : "llama",
            ["vocab_size"] = Model.VocabSize,
            ["hidden_size"] = Model.DModel,
            ["intermediate_size"] = Model.FfnHidden,
            ["num_hidden_layers"] = Model.Layers,
            ["num_attention_heads"] = Model.Heads,
            ["num_key_value_heads"] = Model.KvHeads,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = Model.MaxSeq,
            ["rms_norm_eps"] = Model.NormEps,
            ["rope_theta"] = Model.RopeTheta,
            ["tie_word_embeddings"] = Model.TieEmbeddings,
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenId,
            ["pad_token_id"] = PadTokenId,
            ["torch_dtype"] = "float32",
        };
        if (!qwen) root["attention_bias"] = false;
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>An id, or the first of a list (Llama 3 instruct lists several EOS ids).</summary>
    private static int? TokenId(JsonNode? node) => node switch
    {
        JsonArray list => list.Count > 0 ? (int?)list[0] : null,
        JsonValue value => (int?)value,
        _ => null,
    };
}
