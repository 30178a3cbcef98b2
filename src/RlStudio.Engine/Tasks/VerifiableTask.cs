namespace RlStudio.Engine.Tasks;

/// <summary>
/// A task whose answers a program can check (exact match against the reference), generated in code from a seed:
/// what the learning benchmark trains and measures on. <see cref="MaxNewTokens"/> fits the longest answer plus EOS.
/// </summary>
public sealed record VerifiableTask(string Name, string Description, int MaxNewTokens, Func<Random, PromptExample> Draw)
{
    /// <summary>
    /// <paramref name="train"/> training examples and <paramref name="heldOut"/> held-out ones whose prompts never occur
    /// in the training set, both from one seeded stream.
    /// </summary>
    public (IReadOnlyList<PromptExample> Train, IReadOnlyList<PromptExample> HeldOut) Split(int train, int heldOut, int seed)
    {
        var random = new Random(seed);
        var held = new Dictionary<string, PromptExample>();
        for (var attempts = 0; held.Count < heldOut; attempts++)
        {
            if (attempts > heldOut * 100) throw new InvalidOperationException($"Task {Name} has too few distinct prompts for {heldOut} held out.");
            var example = Draw(random);
            held.TryAdd(example.Prompt, example);
        }
        var training = new List<PromptExample>(train);
        for (var attempts = 0; training.Count < train; attempts++)
        {
            if (attempts > train * 100) throw new InvalidOperationException($"Task {Name} has too few distinct prompts outside the held-out set.");
            var example = Draw(random);
            if (!held.ContainsKey(example.Prompt)) training.Add(example);
        }
        return (training, [.. held.Values]);
    }
}
