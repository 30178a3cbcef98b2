using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlStudio.Engine.Tokenization;

/// <summary>
/// Writes a Hugging Face <c>tokenizer.json</c> for a byte-level BPE: ids 0–255 are the bytes (in the GPT-2
/// alphabet), each merge adds the next id, then the special tokens. With no merges and PAD/BOS/EOS as the
/// specials it describes <see cref="ByteTokenizer"/> exactly.
/// </summary>
public static class ByteLevelBpeJson
{
    /// <param name="merges">Merges in rank order, each "left right" in the byte-level alphabet.</param>
    /// <param name="specialTokens">Added special tokens, ids following the merges.</param>
    /// <param name="promptPrefixToken">A special token the post-processor puts before every sequence (BOS), or null.</param>
    public static string Write(IReadOnlyList<string> merges, IReadOnlyList<string> specialTokens, string? promptPrefixToken)
    {
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteLevelAlphabet.ToChar((byte)b).ToString()] = b;
        foreach (var merge in merges)
        {
            var merged = merge.Replace(" ", "", StringComparison.Ordinal);
            if (!vocab.ContainsKey(merged)) vocab[merged] = vocab.Count;
        }
        var added = new JsonArray();
        var ids = new Dictionary<string, int>();
        foreach (var token in specialTokens)
        {
            ids[token] = vocab.Count + ids.Count;
            added.Add(new JsonObject
            {
                ["id"] = ids[token], ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true,
            },
            ["post_processor"] = promptPrefixToken is null ? null : Template(promptPrefixToken, ids[promptPrefixToken]),
            ["decoder"] = new JsonObject
            {
                ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true,
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Template(string token, int id)
    {
        JsonObject Special() => new() { ["SpecialToken"] = new JsonObject { ["id"] = token, ["type_id"] = 0 } };
        JsonObject Sequence(string name) => new() { ["Sequence"] = new JsonObject { ["id"] = name, ["type_id"] = 0 } };
        return new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(Special(), Sequence("A")),
            ["pair"] = new JsonArray(Special(), Sequence("A"), Special(), Sequence("B")),
            ["special_tokens"] = new JsonObject
            {
                [token] = new JsonObject { ["id"] = token, ["ids"] = new JsonArray(id), ["tokens"] = new JsonArray(token) },
            },
        };
    }
}
