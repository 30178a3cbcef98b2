using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RlStudio.Engine;
using RlStudio.Environments;
using RlStudio.Engine.Agents;

namespace RlStudio.Bench;

/// <summary>Knobs of <see cref="LearnBenchmark"/>; the defaults are the figures' definitions (see README).</summary>
public sealed record LearnBenchmarkOptions
{
    /// <summary>Tasks to run (names from VerifiableTasks). Default all.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["reverse", "add", "sort", "count"];

    /// <summary>RL variants to run from each task's chosen SFT checkpoint. Default all of <see cref="LearnVariant.All"/>.</summary>
    public IReadOnlyList<string> Variants { get; init; } = [.. LearnVariant.All.Select(v => v.Name)];

    /// <summary>Preference algorithms to run from each task's SFT checkpoint on its preference pairs. Default dpo, ipo, reward_model.</summary>
    public IReadOnlyList<string> PreferenceAlgorithms { get; init; } = PreferenceBenchmark.Algorithms;

    /// <summary>Optimizer steps per preference algorithm. Default 300.</summary>
    public int PreferenceSteps { get; init; } = 300;

    /// <summary>Training and held-out examples per task. Default 4000 and 400.</summary>
    public int TrainExamples { get; init; } = 4000;

    public int HeldOutExamples { get; init; } = 400;

    /// <summary>Samples per held-out prompt for pass@k (temperature 1). Default 8.</summary>
    public int K { get; init; } = 8;

    /// <summary>SFT: longest schedule, and how often a checkpoint is saved and measured. Default 1000 steps, every 25.</summary>
    public int SftSteps { get; init; } = 1000;

    public int SftCheckpointEvery { get; init; } = 25;

    /// <summary>RL optimizer steps per variant. Default 300.</summary>
    public int RlSteps { get; init; } = 300;

    /// <summary>Extra held-out evaluations during each RL run (a learning curve), besides before and after. Default 2.</summary>
    public int RlCurvePoints { get; init; } = 2;

    /// <summary>Agentic environments to run (<see cref="AgentLearnBenchmark"/>; names from EnvironmentCatalog). Default number_guess (the calculator on request; see AgentLearnSetting).</summary>
    public IReadOnlyList<string> Environments { get; init; } = AgentLearnSetting.DefaultEnvironments;

    /// <summary>Advantage modes GRPO runs with on each environment. Default both (episode, gigpo).</summary>
    public IReadOnlyList<EpisodeAdvantageMode> AgentModes { get; init; } = [EpisodeAdvantageMode.Episode, EpisodeAdvantageMode.Gigpo];

    /// <summary>Training and held-out tasks per environment (disjoint seeds). Default 1000 and 200.</summary>
    public int AgentTrainTasks { get; init; } = 1000;

    public int AgentHeldOutTasks { get; init; } = 200;

    /// <summary>SFT on demonstrations: longest schedule, and how often a checkpoint is measured. Default 600 steps, every 10.</summary>
    public int AgentSftSteps { get; init; } = 600;

    public int AgentSftCheckpointEvery { get; init; } = 10;

    /// <summary>GRPO steps per advantage mode. Default 300 (the budget).</summary>
    public int AgentRlSteps { get; init; } = 300;

    /// <summary>Settings laid over every RL variant's defaults, as TrainerOptions JSON (e.g. {"learningRate":1e-4}).</summary>
    public string? Overrides { get; init; }

    public int Seed { get; init; } = 1;

    public int Threads { get; init; }

    /// <summary>
    /// --quick: smaller split and schedules (a smoke run, figures not comparable); --task (a single-turn task or an
    /// environment) and --algorithm (an RL variant, a preference algorithm, or an advantage mode: episode, gigpo), both
    /// repeatable; --steps N (RL and preference steps, agentic included); --set JSON.
    /// </summary>
    public static LearnBenchmarkOptions Parse(string[] args)
    {
        var options = new LearnBenchmarkOptions();
        List<string>? tasks = null, variants = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick":
                    options = options with { TrainExamples = 2000, HeldOutExamples = 200, SftSteps = 400, SftCheckpointEvery = 100, RlSteps = 60, RlCurvePoints = 0, PreferenceSteps = 100,
                        AgentHeldOutTasks = 100, AgentSftCheckpointEvery = 20, AgentRlSteps = 100 };
                    break;
                case "--task": (tasks ??= []).Add(Value()); break;
                case "--algorithm": (variants ??= []).Add(Value()); break;
                case "--steps":
                    var steps = int.Parse(Value(), CultureInfo.InvariantCulture);
                    options = options with { RlSteps = steps, PreferenceSteps = steps, AgentRlSteps = steps };
                    break;
                case "--sft-steps": options = options with { SftSteps = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--set": options = options with { Overrides = Value() }; break;
                case "--seed": options = options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--threads": options = options with { Threads = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (tasks is not null)
        {
            var environments = tasks.Where(EnvironmentCatalog.Names.Contains).ToList();
            foreach (var env in environments) AgentLearnSetting.For(env);
            options = options with { Tasks = tasks.Except(environments).ToList(), Environments = environments };
        }
        if (variants is not null)
        {
            var modes = variants.Where(v => AgentModeNames.ContainsKey(v)).ToList();
            var preference = variants.Where(PreferenceBenchmark.Algorithms.Contains).ToList();
            var rl = variants.Except(preference).Except(modes).ToList();
            foreach (var name in rl) LearnVariant.Named(name);
            options = options with { Variants = rl, PreferenceAlgorithms = preference };
            if (modes.Count > 0) options = options with { AgentModes = modes.Select(m => AgentModeNames[m]).ToList() };
        }
        return options;
    }

    private static readonly Dictionary<string, EpisodeAdvantageMode> AgentModeNames = Enum.GetValues<EpisodeAdvantageMode>()
        .ToDictionary(AgentLearnBenchmark.ModeName);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary><paramref name="options"/> with <see cref="Overrides"/> laid over it.</summary>
    public TrainerOptions Apply(TrainerOptions options)
    {
        if (string.IsNullOrWhiteSpace(Overrides)) return options;
        var node = JsonSerializer.SerializeToNode(options, Json)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(Overrides)!.AsObject()) node[key] = value?.DeepClone();
        return node.Deserialize<TrainerOptions>(Json)!;
    }
}
