using RlStudio.Engine;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// Preference pairs made from a verifiable task, as a labeler comparing a policy's answers would: the chosen response is
/// the right answer, the rejected one a wrong answer the policy itself samples (on-policy negatives, what DPO after SFT
/// trains on). A prompt whose samples are all right gets the right answer with one mistake instead (two different
/// characters swapped, or one changed).
/// </summary>
public static class PreferencePairs
{
    /// <summary>Samples drawn per prompt while looking for a wrong answer.</summary>
    public const int Samples = 4;

    private const int ChunkPrompts = 128;

    public static IReadOnlyList<PreferenceExample> OnPolicy(Trainer policy, IReadOnlyList<PromptExample> examples, int maxNewTokens, int seed)
    {
        var random = new Random(seed);
        var sampling = new SamplingOptions { MaxNewTokens = maxNewTokens, Temperature = 1.0 };
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var pairs = new List<PreferenceExample>(examples.Count);
        foreach (var chunk in examples.Chunk(ChunkPrompts))
        {
            var prompts = chunk.SelectMany(e => Enumerable.Repeat(policy.Tokenizer.EncodePrompt(e.Prompt), Samples)).ToArray();
            using var generated = Sampler.Generate(policy.Policy, prompts, sampling, generator, policy.Tokenizer);
            for (var p = 0; p < chunk.Length; p++)
            {
                var wrong = Enumerable.Range(p * Samples, Samples).Select(i => generated.CompletionTexts[i])
                    .FirstOrDefault(text => text != chunk[p].Reference);
                pairs.Add(new PreferenceExample(chunk[p].Prompt, chunk[p].Reference, wrong ?? Corrupt(chunk[p].Reference, random)));
            }
        }
        return pairs;
    }

    private static string Corrupt(string answer, Random random)
    {
        var chars = answer.ToCharArray();
        var pairs = (from i in Enumerable.Range(0, chars.Length)
                     from j in Enumerable.Range(i + 1, chars.Length - i - 1)
                     where chars[i] != chars[j]
                     select (i, j)).ToArray();
        if (pairs.Length > 0)
        {
            var (i, j) = pairs[random.Next(pairs.Length)];
            (chars[i], chars[j]) = (chars[j], chars[i]);
            return new string(chars);
        }
        var at = random.Next(chars.Length);
        var alphabet = char.IsDigit(chars[at]) ? "0123456789" : "abcdefghijklmnopqrstuvwxyz";
        var other = alphabet.Where(c => c != chars[at]).ToArray();
        chars[at] = other[random.Next(other.Length)];
        return new string(chars);
    }
}
