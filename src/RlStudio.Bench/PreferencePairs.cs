using RlStudio.Engine;

namespace RlStudio.Bench;

/// <summary>
/// Preference pairs made from a verifiable task: the chosen response is the right answer, the rejected one the same
/// answer with one mistake (two different characters swapped, or one character changed), so telling them apart takes
/// the task's rule, not the answer's look.
/// </summary>
public static class PreferencePairs
{
    public static IReadOnlyList<PreferenceExample> From(IReadOnlyList<PromptExample> examples, int seed)
    {
        var random = new Random(seed);
        return examples.Select(e => new PreferenceExample(e.Prompt, e.Reference, Corrupt(e.Reference, random))).ToArray();
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
