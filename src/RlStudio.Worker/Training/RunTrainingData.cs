using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Agents;
using RlStudio.Engine.Rewards;
using RlStudio.Environments;

namespace RlStudio.Worker.Training;

/// <summary>
/// A claimed run's examples as the engine takes them: prompts with references (SFT and the policy-gradient
/// algorithms, scored by reward functions), preference pairs (DPO, IPO, reward model), or environment tasks (an agentic
/// run: episodes played and rewarded by the environment, with the run's agent settings).
/// </summary>
public sealed class RunTrainingData
{
    private readonly IReadOnlyList<PromptExample>? _prompts;
    private readonly IReadOnlyList<PreferenceExample>? _preferences;
    private readonly IReadOnlyList<EnvironmentTask>? _tasks;
    private readonly RunSpec _spec;

    private RunTrainingData(RunSpec spec, IReadOnlyList<PromptExample>? prompts = null, IReadOnlyList<PreferenceExample>? preferences = null,
        IReadOnlyList<EnvironmentTask>? tasks = null)
    {
        _spec = spec;
        _prompts = prompts;
        _preferences = preferences;
        _tasks = tasks;
    }

    public int Count => _prompts?.Count ?? _preferences?.Count ?? _tasks!.Count;

    public static RunTrainingData From(DatasetItemsResponse items, RunSpec spec)
    {
        if (!spec.Algorithm.DataKinds().Contains(items.Kind))
            throw new InvalidOperationException($"Dataset version {items.VersionId} holds {items.Kind}; {spec.Algorithm} does not train on them.");
        return items.Kind switch
        {
            DatasetKind.Prompts => new RunTrainingData(spec, prompts: items.Items.Select(i => new PromptExample(i.Prompt, i.Reference)).ToArray()),
            DatasetKind.Preferences => new RunTrainingData(spec, preferences: items.Items.Select(i => new PreferenceExample(
                i.Prompt,
                i.Chosen ?? throw new InvalidOperationException($"Dataset version {items.VersionId} has an item without \"chosen\"; {spec.Algorithm} needs preference pairs."),
                i.Rejected ?? throw new InvalidOperationException($"Dataset version {items.VersionId} has an item without \"rejected\"; {spec.Algorithm} needs preference pairs."))).ToArray()),
            DatasetKind.Tasks => new RunTrainingData(spec, tasks: items.Items.Select(i => EnvironmentTaskJson.Read(i.Prompt, i.Metadata)).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(items), items.Kind, null),
        };
    }

    public Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<WeightedReward> rewards) =>
        _tasks is not null ? Trainer.Create(options, source, _tasks, TrainerOptionsMapper.MapAgent(_spec))
        : _prompts is not null ? Trainer.Create(options, source, _prompts, rewards)
        : Trainer.Create(options, source, _preferences!);

    public Trainer Resume(TrainerOptions options, Stream checkpoint, IReadOnlyList<WeightedReward> rewards) =>
        _tasks is not null ? Trainer.Resume(options, checkpoint, _tasks, TrainerOptionsMapper.MapAgent(_spec))
        : _prompts is not null ? Trainer.Resume(options, checkpoint, _prompts, rewards)
        : Trainer.Resume(options, checkpoint, _preferences!);
}
