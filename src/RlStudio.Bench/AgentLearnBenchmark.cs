using System.Diagnostics;
using System.Globalization;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Agents;
using RlStudio.Environments;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// Does multi-turn RL make an agent better on tasks it never trained on? Per environment (<see cref="AgentLearnSetting"/>):
/// train and held-out tasks from disjoint seeds and disjoint games (a fifth of the games, by a stable hash, are held out:
/// no training task plays them); SFT from a fresh model on the built-in demonstrations, measuring greedy
/// held-out success at saved checkpoints and keeping the one whose success lies in 0.2–0.6 nearest 0.35 (room to gain,
/// and sampled groups of mixed outcomes to learn from); then GRPO with episode advantages and with GiGPO, each from those
/// same checkpoint bytes. Prints <c>learn_&lt;env&gt;_&lt;mode&gt;_{before,after,gain,seconds}</c> (greedy held-out success)
/// besides sampled success and the share of held-out tasks whose game no training task plays.
/// </summary>
public static class AgentLearnBenchmark
{
    /// <summary>The held-out success an SFT start aims at, and the range it must lie in.</summary>
    public const double TargetStart = 0.35, LowestStart = 0.2, HighestStart = 0.6;

    /// <summary>The held-out gain each mode must reach.</summary>
    public const double GoalGain = 0.15;

    /// <summary>Seeds of held-out tasks start here; training tasks' start at 0, so the two never share a seed.</summary>
    private const int HeldOutFirstSeed = 1_000_000;

    /// <summary>Runs every environment of <paramref name="options"/>; returns the shortfalls (<c>env/mode</c>, <c>env/sft</c>).</summary>
    public static IReadOnlyList<string> Run(TextWriter output, LearnBenchmarkOptions options)
    {
        var shortfalls = new List<string>();
        foreach (var setting in options.Environments.Select(AgentLearnSetting.For))
        {
            // Held-out tasks play only held-out games, which no training task plays.
            var train = setting.Tasks(0, 20 * options.AgentTrainTasks).Where(t => !IsHeldOutGame(t)).Take(options.AgentTrainTasks).ToList();
            var heldOut = setting.Tasks(HeldOutFirstSeed, 20 * options.AgentHeldOutTasks).Where(IsHeldOutGame).Take(options.AgentHeldOutTasks).ToList();
            var name = $"learn_{setting.Env}";
            Print(output, $"{name}_heldout_unseen", UnseenShare(train, heldOut));
            var start = SftStart(output, setting, train, heldOut, options);
            Print(output, $"{name}_sft_steps", start.Step);
            Print(output, $"{name}_sft_success", start.Success);
            Print(output, $"{name}_sft_sampled", start.Sampled);
            if (start.Success is < LowestStart or > HighestStart) shortfalls.Add($"{setting.Env}/sft");
            foreach (var mode in options.AgentModes)
            {
                if (!RunMode(output, setting, mode, start, train, heldOut, options)) shortfalls.Add($"{setting.Env}/{ModeName(mode)}");
            }
        }
        return shortfalls;
    }

    public static string ModeName(EpisodeAdvantageMode mode) => mode switch
    {
        EpisodeAdvantageMode.Episode => "episode",
        EpisodeAdvantageMode.Gigpo => "gigpo",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>A saved SFT checkpoint with its greedy and sampled held-out success.</summary>
    private sealed record Start(int Step, byte[] Checkpoint, double Success, double Sampled);

    private static Start SftStart(TextWriter output, AgentLearnSetting setting, IReadOnlyList<EnvironmentTask> train,
        IReadOnlyList<EnvironmentTask> heldOut, LearnBenchmarkOptions options)
    {
        var sft = RunDefaults.For(Algorithm.Sft) with
        {
            Steps = options.AgentSftSteps, BatchSize = setting.SftBatchSize, LearningRate = setting.SftLearningRate,
            MaxNewTokens = setting.MaxNewTokens, Seed = options.Seed, EvalEvery = 0,
        };
        using var trainer = Trainer.Create(sft, new ModelSource.Preset(AgentLearnSetting.Preset), train, setting.Agent(EpisodeAdvantageMode.Episode));
        Start? best = null;
        var clock = Stopwatch.StartNew();
        while (trainer.CompletedSteps < options.AgentSftSteps)
        {
            trainer.Step();
            if (trainer.CompletedSteps % options.AgentSftCheckpointEvery != 0) continue;
            var success = Success(trainer, heldOut, setting, temperature: 0, seed: 0);
            var sampled = Success(trainer, heldOut, setting, temperature: 1, seed: trainer.CompletedSteps);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {setting.Env} sft step {trainer.CompletedSteps}: success {success:F3} sampled {sampled:F3} ({clock.Elapsed.TotalSeconds:F0} s)"));
            if (best is null || Math.Abs(success - TargetStart) < Math.Abs(best.Success - TargetStart))
            {
                using var buffer = new MemoryStream();
                trainer.SaveCheckpoint(buffer);
                best = new Start(trainer.CompletedSteps, buffer.ToArray(), success, sampled);
            }
            if (success > HighestStart && best.Success >= LowestStart) break;   // past the range, with a start inside it
        }
        return best ?? throw new InvalidOperationException("SFT saved no checkpoint; AgentSftSteps must be ≥ AgentSftCheckpointEvery.");
    }

    /// <summary>Trains one advantage mode from the start and prints its figures; true when it gains at least <see cref="GoalGain"/>.</summary>
    private static bool RunMode(TextWriter output, AgentLearnSetting setting, EpisodeAdvantageMode mode, Start start,
        IReadOnlyList<EnvironmentTask> train, IReadOnlyList<EnvironmentTask> heldOut, LearnBenchmarkOptions options)
    {
        var rl = options.Apply(setting.Rl(RunDefaults.For(Algorithm.Grpo)) with
        {
            Steps = options.AgentRlSteps, MaxNewTokens = setting.MaxNewTokens, Seed = options.Seed + 1, EvalEvery = 0,
        });
        var name = $"learn_{setting.Env}_{ModeName(mode)}";
        var clock = Stopwatch.StartNew();
        using var trainer = Trainer.Create(rl, new ModelSource.Checkpoint(() => new MemoryStream(start.Checkpoint)), train, setting.Agent(mode));
        var curveEvery = options.RlCurvePoints > 0 ? Math.Max(1, options.AgentRlSteps / (options.RlCurvePoints + 1)) : int.MaxValue;
        var trainSuccess = double.NaN;
        var trainSeconds = 0.0;
        while (trainer.CompletedSteps < options.AgentRlSteps)
        {
            var stepClock = Stopwatch.StartNew();
            var report = trainer.Step();
            trainSeconds += stepClock.Elapsed.TotalSeconds;
            var stepSuccess = report.Metrics[MetricKeys.EnvSuccess];
            trainSuccess = double.IsNaN(trainSuccess) ? stepSuccess : 0.9 * trainSuccess + 0.1 * stepSuccess;
            if (trainer.CompletedSteps % curveEvery == 0 && trainer.CompletedSteps < options.AgentRlSteps)
            {
                var curve = Success(trainer, heldOut, setting, temperature: 0, seed: 0);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# {setting.Env} {ModeName(mode)} step {trainer.CompletedSteps}: success {curve:F3} train success (EMA) {trainSuccess:F3} zero-std groups {report.Metrics[MetricKeys.RewardFracZeroStd]:F2} ({clock.Elapsed.TotalSeconds:F0} s)"));
            }
        }
        var after = Success(trainer, heldOut, setting, temperature: 0, seed: 0);
        var sampledAfter = Success(trainer, heldOut, setting, temperature: 1, seed: 2_000_000);
        var gain = after - start.Success;
        Print(output, $"{name}_before", start.Success);
        Print(output, $"{name}_after", after);
        Print(output, $"{name}_gain", gain);
        Print(output, $"{name}_sampled_before", start.Sampled);
        Print(output, $"{name}_sampled_after", sampledAfter);
        Print(output, $"{name}_seconds", trainSeconds);
        Print(output, $"{name}_total_seconds", clock.Elapsed.TotalSeconds);
        return gain >= GoalGain - 1e-9;
    }

    /// <summary>Held-out success: one episode per task, greedy (temperature 0) or sampled with a seeded generator.</summary>
    private static double Success(Trainer trainer, IReadOnlyList<EnvironmentTask> heldOut, AgentLearnSetting setting, double temperature, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)seed + 77), CPU);
        var turn = new SamplingOptions { MaxNewTokens = setting.MaxNewTokens, Temperature = temperature };
        var episodes = EpisodeRunner.Play(heldOut, ModelPolicy.Of(trainer.Policy, trainer.Tokenizer, turn, generator), setting.Episodes);
        return episodes.Average(e => e.Succeeded ? 1.0 : 0.0);
    }

    /// <summary>A task's game: its demonstration (first observation and expert turns), which fixes everything the agent can meet.</summary>
    private static string Game(EnvironmentTask task) => string.Join("\n", Demonstrations.Of(task).Select(m => m.Text));

    /// <summary>Whether a task's game is one of the held-out fifth of games (by a stable hash of the game, the same in every process).</summary>
    private static bool IsHeldOutGame(EnvironmentTask task) =>
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Game(task)))[0] % 5 == 0;

    /// <summary>The share of held-out tasks whose game no training task plays (1 by construction; printed as a check).</summary>
    private static double UnseenShare(IReadOnlyList<EnvironmentTask> train, IReadOnlyList<EnvironmentTask> heldOut)
    {
        var seen = train.Select(Game).ToHashSet(StringComparer.Ordinal);
        return heldOut.Count(t => !seen.Contains(Game(t))) / (double)heldOut.Count;
    }

    private static void Print(TextWriter output, string name, double value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.####}"));
}
