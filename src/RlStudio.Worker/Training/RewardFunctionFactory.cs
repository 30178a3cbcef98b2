using RlStudio.Contracts.Runs;
using RlStudio.Engine.Rewards;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Builds the engine's reward functions for a run's reward specs. A reward model is loaded from its checkpoint
/// (downloaded from the web host); the caller disposes the returned set, which owns those models.
/// </summary>
public sealed class RewardFunctionFactory(IngestClient ingest)
{
    public async Task<RewardSet> CreateAsync(IReadOnlyList<RewardSpec> specs, CancellationToken cancellationToken)
    {
        var rewards = new List<WeightedReward>();
        var owned = new List<IDisposable>();
        try
        {
            foreach (var spec in specs)
            {
                var function = await CreateAsync(spec, cancellationToken);
                if (function is IDisposable disposable) owned.Add(disposable);
                rewards.Add(new WeightedReward(function, spec.Weight));
            }
            return new RewardSet(rewards, owned);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    private async Task<IRewardFunction> CreateAsync(RewardSpec spec, CancellationToken cancellationToken) => spec.Type switch
    {
        RewardType.ExactMatch => new ExactMatchReward(),
        RewardType.NumericMatch => new NumericMatchReward(),
        RewardType.Regex => new RegexReward(spec.Pattern ?? throw new InvalidOperationException("A regex reward needs a pattern.")),
        RewardType.LengthPenalty => new LengthPenalty(spec.TargetTokens ?? 64, spec.PenaltyPerToken ?? 0.01),
        RewardType.JsonValid => new JsonValidReward(),
        RewardType.RewardModel => await LoadRewardModelAsync(spec, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "Unknown reward type."),
    };

    private async Task<IRewardFunction> LoadRewardModelAsync(RewardSpec spec, CancellationToken cancellationToken)
    {
        var checkpointId = spec.CheckpointId ?? throw new InvalidOperationException("A reward_model reward names no checkpoint.");
        var bytes = await ingest.DownloadCheckpointAsync(checkpointId, cancellationToken);
        using var stream = new MemoryStream(bytes, writable: false);
        return new RewardModelReward(stream);
    }
}

/// <summary>A run's weighted reward functions and the models they own (disposed with the set).</summary>
public sealed class RewardSet(IReadOnlyList<WeightedReward> rewards, IReadOnlyList<IDisposable> owned) : IDisposable
{
    public IReadOnlyList<WeightedReward> Rewards { get; } = rewards;

    public void Dispose()
    {
        foreach (var o in owned) o.Dispose();
    }
}
