using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RlStudio.Engine.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> of the byte-level BPE kind (GPT-2, Llama 3, Qwen2): added tokens matched
/// literally, regex pre-tokenization (the file's Split pattern, or GPT-2's), byte → printable-character mapping,
/// merges by rank. The prompt prefix comes from the TemplateProcessing post-processor (e.g. Llama 3's BOS).
/// Immutable; thread-safe apart from its internal word cache, which is a concurrent dictionary.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    /// <summary>GPT-2's pre-tokenizer pattern, used when the file says ByteLevel with use_regex.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly Dictionary<string, int> vocab;
    private readonly Dictionary<int, string> idToToken;
    private readonly Dictionary<(string, string), int> mergeRanks;
    private readonly Dictionary<int, (string Content, bool Special)> addedById;
    private readonly Regex? addedTokenSplitter;
    private readonly Regex? preTokenizer;
    private readonly bool addPrefixSpace;
    private readonly bool ignoreMerges;
    private readonly bool normalizeNfc;
    private readonly int[] promptPrefix;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> cache = new();

    private ByteLevelBpeTokenizer(string json, JsonObject root, int? eosId, int? padId)
    {
        Json = json;
        var model = root["model"]?.AsObject() ?? throw new InvalidDataException("tokenizer.json has no model.");
        if ((string?)model["type"] is { } type && type != "BPE")
            throw new NotSupportedException($"Only BPE tokenizer.json files are supported, not {type}.");
        vocab = model["vocab"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!);
        idToToken = vocab.ToDictionary(p => p.Value, p => p.Key);
        mergeRanks = ReadMerges(model["merges"]?.AsArray());
        ignoreMerges = (bool?)model["ignore_merges"] ?? false;
        addedById = (root["added_tokens"]?.AsArray() ?? [])
            .Select(t => t!.AsObject())
            .ToDictionary(t => (int)t["id"]!, t => ((string)t["content"]!, (bool?)t["special"] ?? false));
        addedTokenSplitter = addedById.Count == 0 ? null
            : new Regex(string.Join("|", addedById.Values.Select(a => a.Content).OrderByDescending(c => c.Length).Select(Regex.Escape)),
                RegexOptions.CultureInvariant);
        normalizeNfc = (string?)root["normalizer"]?["type"] == "NFC";
        (preTokenizer, addPrefixSpace) = ReadPreTokenizer(root["pre_tokenizer"]);
        promptPrefix = ReadPromptPrefix(root["post_processor"]);
        VocabularySize = Math.Max(vocab.Values.DefaultIfEmpty(-1).Max(), addedById.Keys.DefaultIfEmpty(-1).Max()) + 1;
        EosId = eosId ?? FindAdded("<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>", "<|eos|>")
            ?? throw new InvalidDataException("No EOS id given and none of the usual EOS tokens is in tokenizer.json.");
        PadId = padId ?? EosId;
    }

    /// <summary>The tokenizer.json text this tokenizer was read from (an export writes it back unchanged).</summary>
    public string Json { get; }

    public int VocabularySize { get; }

    public int PadId { get; }

    public int EosId { get; }

    /// <summary>Ids the post-processor puts before a single sequence (e.g. BOS); empty for Qwen2.</summary>
    public IReadOnlyList<int> PromptPrefix => promptPrefix;

    /// <summary>Reads tokenizer.json text; EOS/PAD ids usually come from the model's config.json (PAD defaults to EOS).</summary>
    public static ByteLevelBpeTokenizer FromJson(string json, int? eosId = null, int? padId = null) =>
        new(json, JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("tokenizer.json is empty."), eosId, padId);

    public int[] Encode(string text)
    {
        if (normalizeNfc) text = text.Normalize(NormalizationForm.FormC);
        var ids = new List<int>();
        var start = 0;
        if (addedTokenSplitter is not null)
        {
            foreach (Match m in addedTokenSplitter.Matches(text))
            {
                EncodeOrdinary(text[start..m.Index], ids);
                ids.Add(addedById.First(a => a.Value.Content == m.Value).Key);
                start = m.Index + m.Length;
            }
        }
        EncodeOrdinary(text[start..], ids);
        return ids.ToArray();
    }

    public int[] EncodePrompt(string text) => [.. promptPrefix, .. Encode(text)];

    /// <summary>The chat format its special tokens give (<see cref="Tokenization.ChatFormat.Of"/>), found once.</summary>
    public ChatFormat ChatFormat => chatFormat ??= ChatFormat.Detect(this);

    private ChatFormat? chatFormat;

    /// <summary>The id of the added special token <paramref name="content"/>, or null when the file has none.</summary>
    public int? SpecialTokenId(string content) =>
        addedById.Where(a => a.Value.Special && a.Value.Content == content).Select(a => (int?)a.Key).FirstOrDefault();

    public string Decode(IEnumerable<long> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id == EosId) break;
            if (addedById.TryGetValue((int)id, out var added))
            {
                if (!added.Special) bytes.AddRange(Encoding.UTF8.GetBytes(added.Content));
            }
            else if (idToToken.TryGetValue((int)id, out var token) && !ByteLevelAlphabet.TryToBytes(token, bytes))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private void EncodeOrdinary(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (addPrefixSpace && text[0] != ' ') text = " " + text;
        IEnumerable<string> pieces = preTokenizer is null ? [text] : SplitIsolated(preTokenizer, text);
        foreach (var piece in pieces) ids.AddRange(cache.GetOrAdd(piece, BytePairEncode));
    }

    /// <summary>Matches and the text between them, in order (the "Isolated" split behaviour).</summary>
    private static IEnumerable<string> SplitIsolated(Regex regex, string text)
    {
        var start = 0;
        foreach (Match m in regex.Matches(text))
        {
            if (m.Length == 0) continue;
            if (m.Index > start) yield return text[start..m.Index];
            yield return m.Value;
            start = m.Index + m.Length;
        }
        if (start < text.Length) yield return text[start..];
    }

    private int[] BytePairEncode(string piece)
    {
        var mapped = ByteLevelAlphabet.ToText(Encoding.UTF8.GetBytes(piece));
        if (ignoreMerges && vocab.TryGetValue(mapped, out var whole)) return [whole];
        var symbols = mapped.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var (best, bestRank) = (-1, int.MaxValue);
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                    (best, bestRank) = (i, rank);
            }
            if (best < 0) break;
            var (left, right) = (symbols[best], symbols[best + 1]);
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else merged.Add(symbols[i]);
            }
            symbols = merged;
        }
        return symbols.Select(s => vocab.TryGetValue(s, out var id) ? id
            : throw new InvalidDataException($"BPE symbol '{s}' is not in the vocabulary.")).ToArray();
    }

    private int? FindAdded(params string[] contents) =>
        contents.Select(c => addedById.Where(a => a.Value.Content == c).Select(a => (int?)a.Key).FirstOrDefault())
            .FirstOrDefault(id => id is not null);

    private static Dictionary<(string, string), int> ReadMerges(JsonArray? merges)
    {
        var ranks = new Dictionary<(string, string), int>();
        foreach (var merge in merges ?? [])
        {
            var pair = merge is JsonArray a ? ((string)a[0]!, (string)a[1]!) : SplitMerge((string)merge!);
            ranks.TryAdd(pair, ranks.Count);
        }
        return ranks;
    }

    private static (string, string) SplitMerge(string merge)
    {
        var space = merge.IndexOf(' ', 1);
        return space < 0 ? throw new InvalidDataException($"Bad merge '{merge}'.") : (merge[..space], merge[(space + 1)..]);
    }

    /// <summary>The regex to split with (a Split pattern, or GPT-2's for ByteLevel use_regex) and add_prefix_space.</summary>
    private static (Regex? Regex, bool AddPrefixSpace) ReadPreTokenizer(JsonNode? node)
    {
        if (node is null) return (null, false);
        var steps = (string?)node["type"] == "Sequence" ? node["pretokenizers"]!.AsArray().Select(n => n!).ToArray() : [node];
        string? pattern = null;
        var prefixSpace = false;
        foreach (var step in steps)
        {
            switch ((string?)step["type"])
            {
                case "Split":
                    pattern = (string?)step["pattern"]?["Regex"] ?? Regex.Escape((string?)step["pattern"]?["String"] ?? " ");
                    break;
                case "ByteLevel":
                    prefixSpace = (bool?)step["add_prefix_space"] ?? false;
                    if ((bool?)step["use_regex"] ?? true) pattern ??= Gpt2Pattern;
                    break;
                case "Digits" or "Metaspace" or "Whitespace" or "Punctuation":
                    throw new NotSupportedException($"Pre-tokenizer {step["type"]} is not supported (byte-level BPE only).");
            }
        }
        return (pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled), prefixSpace);
    }

    /// <summary>Special-token ids a TemplateProcessing "single" template puts before sequence A.</summary>
    private static int[] ReadPromptPrefix(JsonNode? node)
    {
        if (node is null) return [];
        if ((string?)node["type"] == "Sequence")
            return node["processors"]!.AsArray().Select(ReadPromptPrefix).FirstOrDefault(p => p.Length > 0) ?? [];
        if ((string?)node["type"] != "TemplateProcessing") return [];
        var prefix = new List<int>();
        foreach (var item in node["single"]!.AsArray())
        {
            if (item?["Sequence"] is not null) break;
            var name = (string)item!["SpecialToken"]!["id"]!;
            prefix.AddRange(node["special_tokens"]![name]!["ids"]!.AsArray().Select(i => (int)i!));
        }
        return prefix.ToArray();
    }
}
