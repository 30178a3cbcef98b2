using System.Text;
using System.Text.RegularExpressions;
using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.Tests.HuggingFace;

/// <summary>Learns a few byte-level BPE merges from a corpus (most frequent adjacent pair first), as tests' real tokenizer.</summary>
internal static class TinyBpe
{
    public const string Corpus = "the cat sat on the mat. the dog ate the hat; then the cat and the dog sat there, 12 + 34 = 46.";

    public static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    public static List<string> LearnMerges(string corpus, int count)
    {
        var words = Regex.Matches(corpus, ByteLevelBpeTokenizer.Gpt2Pattern)
            .Select(m => ByteLevelAlphabet.ToText(Encoding.UTF8.GetBytes(m.Value)).Select(c => c.ToString()).ToList())
            .ToList();
        var merges = new List<string>();
        for (var n = 0; n < count; n++)
        {
            var best = words.SelectMany(w => w.Zip(w.Skip(1)))
                .GroupBy(p => p).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.First + " " + g.Key.Second, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best is null || best.Count() < 2) break;
            var (left, right) = best.Key;
            merges.Add($"{left} {right}");
            foreach (var w in words)
            {
                for (var i = 0; i + 1 < w.Count; i++)
                {
                    if (w[i] != left || w[i + 1] != right) continue;
                    w[i] = left + right;
                    w.RemoveAt(i + 1);
                }
            }
        }
        return merges;
    }

    /// <summary>tokenizer.json text with merges learned from <see cref="Corpus"/> and the Qwen-style specials (no BOS).</summary>
    public static string Json(int merges = 20) => ByteLevelBpeJson.Write(LearnMerges(Corpus, merges), Specials, promptPrefixToken: null);
}
