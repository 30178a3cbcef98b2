using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Rewards;

namespace RlStudio.Worker.Training;

/// <summary>
/// A claimed run's examples as the engine takes them: prompts with references (SFT and the policy-gradient
/// algorithms, scored by reward functions) or preference pairs (DPO, IPO, reward model).
/// </summary>
public sealed class RunTrainingData
{
    private readonly IReadOnlyList<PromptExample>? _prompts;
    private readonly IReadOnlyList<PreferenceExample>? _preferences;

    private RunTrainingData(IReadOnlyList<PromptExample>? prompts, IReadOnlyList<PreferenceExample>? preferences)
    {
        _prompts = prompts;
        _preferences = preferences;
    }

    public int Count => _prompts?.Count ?? _preferences!.Count;

    public static RunTrainingData From(DatasetItemsResponse items, Algorithm algorithm) => algorithm.DataKind() switch
    {
        DatasetKind.Prompts => new RunTrainingData(items.Items.Select(i => new PromptExample(i.Prompt, i.Reference)).ToArray(), null),
        DatasetKind.Preferences => new RunTrainingData(null, items.Items.Select(i => new PreferenceExample(
            i.Prompt,
            i.Chosen ?? throw new InvalidOperationException($"Dataset version {items.VersionId} has an item without \"chosen\"; {algorithm} needs preference pairs."),
            i.Rejected ?? throw new InvalidOperationException($"Dataset version {items.VersionId} has an item without \"rejected\"; {algorithm} needs preference pairs."))).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<WeightedReward> rewards) =>
        _prompts is not null ? Trainer.Create(options, source, _prompts, rewards) : Trainer.Create(options, source, _preferences!);

    public Trainer Resume(TrainerOptions options, Stream checkpoint, IReadOnlyList<WeightedReward> rewards) =>
        _prompts is not null ? Trainer.Resume(options, checkpoint, _prompts, rewards) : Trainer.Resume(options, checkpoint, _preferences!);
}
