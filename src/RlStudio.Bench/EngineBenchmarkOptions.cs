namespace RlStudio.Bench;

/// <summary>Knobs of <see cref="EngineBenchmark"/>; the defaults are the figures' definitions.</summary>
public sealed record EngineBenchmarkOptions
{
    /// <summary>Timed repetitions per figure (the median is reported). Default 5.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Untimed runs before timing. Default 2.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Intra-op threads; 0 keeps TorchSharp's default. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>Training batch: sequences × tokens. Default 32 × 64.</summary>
    public int TrainBatch { get; init; } = 32;

    public int TrainTokens { get; init; } = 64;

    /// <summary>Decoding: batch, prompt tokens, new tokens. Default 8, 16, 128.</summary>
    public int DecodeBatch { get; init; } = 8;

    public int DecodePrompt { get; init; } = 16;

    public int DecodeNewTokens { get; init; } = 128;

    /// <summary>Optimizer steps of the short training run whose peak memory is reported. Default 3.</summary>
    public int MemorySteps { get; init; } = 3;

    /// <summary>The figure groups: memory, train, decode, episodes.</summary>
    public static readonly IReadOnlyList<string> AllGroups = ["memory", "train", "decode", "episodes"];

    /// <summary>Figure groups to measure. Default all.</summary>
    public IReadOnlySet<string> Groups { get; init; } = new HashSet<string>(AllGroups);

    /// <summary>--quick: fewer repetitions (a smoke run); --threads N; --only memory|train|decode|episodes (repeatable).</summary>
    public static EngineBenchmarkOptions Parse(string[] args)
    {
        var options = new EngineBenchmarkOptions();
        var only = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": options = options with { Repetitions = 1, Warmup = 1, MemorySteps = 1 }; break;
                case "--threads" when i + 1 < args.Length: options = options with { Threads = int.Parse(args[++i]) }; break;
                case "--only" when i + 1 < args.Length && AllGroups.Contains(args[i + 1]): only.Add(args[++i]); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}' (groups: {string.Join(", ", AllGroups)}).");
            }
        }
        return only.Count == 0 ? options : options with { Groups = only };
    }
}
