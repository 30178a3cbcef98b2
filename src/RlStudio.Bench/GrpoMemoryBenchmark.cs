using System.Diagnostics;
using System.Globalization;
using RlStudio.Engine;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Bench;

/// <summary>
/// Peak memory of GRPO steps on the small preset (batch 64 = 8 prompts × 8 completions, 32 new tokens), on the whole
/// batch and in minibatches: the update pass then holds one slice's activations instead of the batch's. Each variant
/// runs in a fresh child process (<c>RlStudio.Bench grpo-memory N</c>), since an allocator that keeps freed memory
/// would hide the second variant's growth inside the first one's.
/// </summary>
public static class GrpoMemoryBenchmark
{
    public const string Command = "grpo-memory";

    /// <summary>In this process: trains the steps and prints the growth of the peak RSS over the RSS before, in MB.</summary>
    public static int Run(TextWriter output, int miniBatches, int steps)
    {
        var options = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Grpo, Steps = steps, BatchSize = 64, GroupSize = 8, MaxNewTokens = 32,
            Temperature = 1.0, Beta = 0, LearningRate = 1e-4, MiniBatches = miniBatches, Seed = 1,
        };
        var prompts = AdditionTask.Generate(3, 256, seed: 1);
        var before = PeakMemory.CurrentMegabytes();
        PeakMemory.ResetPeak();
        using (var trainer = Trainer.Create(options, new ModelSource.Preset("small"), prompts, [new WeightedReward(new ExactMatchReward())]))
        {
            for (var i = 0; i < steps; i++) trainer.Step();
        }
        output.WriteLine((PeakMemory.PeakMegabytes() - before).ToString("F1", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Runs <see cref="Run"/> in a child process of this program; returns its figure.</summary>
    public static double InChildProcess(int miniBatches, int steps, int threads)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(GrpoMemoryBenchmark).Assembly.Location);
        }
        foreach (var argument in new[] { Command, miniBatches.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start)!;
        var text = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{Command} {miniBatches} exited with code {child.ExitCode}.");
        return double.Parse(text.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }
}
