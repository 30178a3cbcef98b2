using System.Globalization;

namespace RlStudio.Engine.Tasks;

/// <summary>The learning benchmark's tasks: each has prompts of varying length and one right answer.</summary>
public static class VerifiableTasks
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    /// <summary><c>rev abcd=</c> → <c>dcba</c>, words of 3–7 letters.</summary>
    public static VerifiableTask ReverseWord { get; } = new("reverse", "reverse a 3–7 letter word", 8, random =>
    {
        var word = Word(random, 3, 7, Letters);
        return new PromptExample($"rev {word}=", new string([.. word.Reverse()]));
    });

    /// <summary><c>37+5=</c> → <c>42</c>, operands 0–99.</summary>
    public static VerifiableTask Addition { get; } = new("add", "add two numbers of 0–99", 4, random =>
    {
        var (a, b) = (random.Next(100), random.Next(100));
        return new PromptExample(string.Create(CultureInfo.InvariantCulture, $"{a}+{b}="), (a + b).ToString(CultureInfo.InvariantCulture));
    });

    /// <summary><c>sort 4813=</c> → <c>1348</c>, 3–6 digits.</summary>
    public static VerifiableTask SortDigits { get; } = new("sort", "sort 3–6 digits", 7, random =>
    {
        var digits = Word(random, 3, 6, "0123456789");
        return new PromptExample($"sort {digits}=", new string([.. digits.Order()]));
    });

    /// <summary><c>count a in abacb=</c> → <c>2</c>, strings of 3–7 letters from a–c.</summary>
    public static VerifiableTask CountLetter { get; } = new("count", "count a letter in 3–7 letters", 2, random =>
    {
        var text = Word(random, 3, 7, "abc");
        var letter = "abc"[random.Next(3)];
        return new PromptExample($"count {letter} in {text}=", text.Count(c => c == letter).ToString(CultureInfo.InvariantCulture));
    });

    public static IReadOnlyList<VerifiableTask> All { get; } = [ReverseWord, Addition, SortDigits, CountLetter];

    /// <summary>The task of that name; throws naming the known ones otherwise.</summary>
    public static VerifiableTask Named(string name) => All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"Unknown task '{name}'. Known tasks: {string.Join(", ", All.Select(t => t.Name))}.");

    private static string Word(Random random, int shortest, int longest, string alphabet) =>
        new([.. Enumerable.Range(0, random.Next(shortest, longest + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
}
