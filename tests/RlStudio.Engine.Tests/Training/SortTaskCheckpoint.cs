using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// A tiny-preset policy after 100 SFT steps on the sort task (the learning benchmark's start for that task: held-out
/// greedy exact match ≈ 0.4 with a wide pass@8 gap), used by the learning regression test.
/// </summary>
public sealed class SortTaskCheckpoint
{
    public static readonly IReadOnlyList<WeightedReward> ExactMatch = [new(new ExactMatchReward())];

    public SortTaskCheckpoint()
    {
        (Train, HeldOut) = VerifiableTasks.SortDigits.Split(2000, 200, seed: 1);
        var sft = Defaults(Algorithm.Sft) with
        {
            Steps = 100, MaxNewTokens = VerifiableTasks.SortDigits.MaxNewTokens, Seed = 1, EvalEvery = 0,
        };
        using var trainer = Trainer.Create(sft, new ModelSource.Preset("tiny"), Train, ExactMatch);
        while (trainer.CompletedSteps < sft.Steps) trainer.Step();
        using var buffer = new MemoryStream();
        trainer.SaveCheckpoint(buffer);
        Bytes = buffer.ToArray();
    }

    /// <summary>What a run of the algorithm trains with when it sets nothing (the platform's defaults).</summary>
    public static TrainerOptions Defaults(Algorithm algorithm) => TrainerOptionsJson.Read(WireName.Of(algorithm), RunSettings.For(algorithm).ToJson());

    public IReadOnlyList<PromptExample> Train { get; }

    public IReadOnlyList<PromptExample> HeldOut { get; }

    public byte[] Bytes { get; }

    public ModelSource Source => new ModelSource.Checkpoint(() => new MemoryStream(Bytes));
}
