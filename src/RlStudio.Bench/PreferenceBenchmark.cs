using System.Diagnostics;
using System.Globalization;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Tasks;

namespace RlStudio.Bench;

/// <summary>
/// The preference half of the learning benchmark: DPO, IPO and a reward model on a task's preference pairs
/// (<see cref="PreferencePairs"/>: the right answer over one of the SFT policy's own wrong samples), each with its
/// algorithm's defaults from the task's SFT checkpoint — the usual SFT → DPO pipeline. The trainer holds
/// out <see cref="LearnBenchmarkOptions.HeldOutExamples"/> pairs it never trains on and measures on them the share ranked
/// right (DPO/IPO: the policy's own logp(chosen) &gt; logp(rejected); reward model: score(chosen) &gt; score(rejected))
/// before and after. Prints <c>learn_&lt;task&gt;_&lt;algorithm&gt;_accuracy_before/_after</c>, <c>_gain</c>, <c>_seconds</c>.
/// Goal: DPO and IPO gain ≥ 0.2, the reward model ends ≥ 0.9.
/// </summary>
public static class PreferenceBenchmark
{
    public static IReadOnlyList<string> Algorithms { get; } = ["dpo", "ipo", "reward_model"];

    /// <summary>Trains and prints one algorithm's figures; true when it meets its goal.</summary>
    public static bool Run(TextWriter output, VerifiableTask task, string algorithmName, byte[] start,
        IReadOnlyList<PromptExample> train, IReadOnlyList<PromptExample> heldOut, LearnBenchmarkOptions options)
    {
        var algorithm = algorithmName switch
        {
            "dpo" => Algorithm.Dpo,
            "ipo" => Algorithm.Ipo,
            "reward_model" => Algorithm.RewardModel,
            _ => throw new ArgumentException($"Unknown preference algorithm '{algorithmName}'. Known: {string.Join(", ", Algorithms)}."),
        };
        ModelSource Start() => new ModelSource.Checkpoint(() => new MemoryStream(start));
        IReadOnlyList<PreferenceExample> pairs;
        using (var sft = Trainer.Create(RunDefaults.For(Algorithm.Sft), Start(), train, []))
        {
            pairs = PreferencePairs.OnPolicy(sft, [.. train, .. heldOut], task.MaxNewTokens, options.Seed + 7);
        }
        var trainerOptions = options.Apply(RunDefaults.For(algorithm)) with
        {
            Steps = options.PreferenceSteps, Seed = options.Seed + 2, EvalEvery = options.PreferenceSteps,
            EvalFraction = (double)heldOut.Count / pairs.Count, EvalSamples = heldOut.Count,
        };
        var clock = Stopwatch.StartNew();
        using var trainer = Trainer.Create(trainerOptions, Start(), pairs);
        // DPO/IPO: does the policy itself prefer the right answer (its implicit-reward accuracy is 0 at the start by definition)?
        var key = algorithm == Algorithm.RewardModel ? MetricKeys.EvalAccuracy : MetricKeys.EvalLogpAccuracy;
        var before = trainer.Evaluate()[key];
        var trainSeconds = 0.0;
        while (trainer.CompletedSteps < trainerOptions.Steps)
        {
            var stepClock = Stopwatch.StartNew();
            trainer.Step();
            trainSeconds += stepClock.Elapsed.TotalSeconds;
        }
        var after = trainer.Evaluate()[key];
        var name = $"learn_{task.Name}_{algorithmName}";
        Print(output, $"{name}_accuracy_before", before);
        Print(output, $"{name}_accuracy_after", after);
        Print(output, $"{name}_gain", after - before);
        Print(output, $"{name}_seconds", trainSeconds);
        Print(output, $"{name}_total_seconds", clock.Elapsed.TotalSeconds);
        return algorithm == Algorithm.RewardModel ? after >= 0.9 : after - before >= 0.2;
    }

    private static void Print(TextWriter output, string name, double value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.####}"));
}
