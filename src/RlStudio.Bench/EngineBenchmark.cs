using System.Globalization;
using RlStudio.Engine.Model;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// The engine's speed figures, measured side by side in one process and printed as "name: value" lines:
/// peak memory per preset (and of GRPO steps whole-batch vs in minibatches), matmul peak, training FLOP/s ratio per preset,
/// multi-turn episodes batched across environments vs one at a time (and vs one single-turn generation), KV-cache decoding speedup.
/// Ratios pair each repetition with a reference run right before it and report the median ratio.
/// </summary>
public static class EngineBenchmark
{
    public static int Run(TextWriter output, EngineBenchmarkOptions options)
    {
        if (options.Threads > 0) set_num_threads(options.Threads);
        void Print(string name, double value) =>
            output.WriteLine($"{name}: {value.ToString(value >= 100 ? "F0" : "F3", CultureInfo.InvariantCulture)}");
        output.WriteLine($"threads: {get_num_threads()}");
        output.WriteLine($"repetitions: {options.Repetitions} (median, after {options.Warmup} warm-up)");

        // First, while the process is fresh: a short training run per preset; VmHWM is reset before each.
        if (PeakMemory.Supported && options.Groups.Contains("memory"))
        {
            foreach (var (name, config) in new[] { ("tiny", ModelConfig.Tiny), ("small", ModelConfig.Small) })
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Print($"rss_before_mb_{name}", PeakMemory.CurrentMegabytes());
                PeakMemory.ResetPeak();
                using (var bench = new TrainStepBenchmark(config, options.TrainBatch, options.TrainTokens))
                {
                    for (var i = 0; i < options.MemorySteps; i++) bench.Step();
                }
                Print($"peak_memory_mb_{name}", PeakMemory.PeakMegabytes());
            }
            var whole = GrpoMemoryBenchmark.InChildProcess(miniBatches: 1, options.MemorySteps, get_num_threads());
            var sliced = GrpoMemoryBenchmark.InChildProcess(miniBatches: 4, options.MemorySteps, get_num_threads());
            Print("grpo_step_memory_mb_small", whole);
            Print("grpo_step_memory_mb_small_minibatches4", sliced);
            Print("grpo_minibatches4_memory_ratio", sliced / whole);
        }

        using var matmul = new MatmulBenchmark();
        var matmulSeconds = new List<double>();
        foreach (var (suffix, config) in new[] { ("", ModelConfig.Small), ("_tiny", ModelConfig.Tiny) })
        {
            if (!options.Groups.Contains("train")) break;
            using var bench = new TrainStepBenchmark(config, options.TrainBatch, options.TrainTokens);
            var (step, reference) = Timing.Paired(bench.Step, matmul.Run, options.Warmup, options.Repetitions);
            matmulSeconds.AddRange(reference);
            Print($"train_step_ms{suffix}", Timing.Median(step) * 1e3);
            Print($"train_flops_ratio{suffix}",
                Timing.Median(step.Zip(reference, (s, r) => bench.FlopsPerStep() / s / (matmul.Flops / r))));
        }
        if (matmulSeconds.Count > 0) Print("matmul_gflops", matmul.Flops / Timing.Median(matmulSeconds) / 1e9);

        if (options.Groups.Contains("episodes"))
        {
            // 4 tasks × G 8, 4 turns of 8 tokens each: the sampling of one agentic GRPO step.
            using var episodes = new EpisodeBenchmark(ModelConfig.Small, tasks: 4, groupSize: 8);
            var repetitions = Math.Min(3, options.Repetitions);
            var (batched, sequential) = Timing.Paired(episodes.Batched, episodes.Sequential, warmup: 1, repetitions);
            var (_, singleTurn) = Timing.Paired(episodes.Batched, episodes.SingleTurn, warmup: 1, repetitions);
            Print("episodes_batched_ms", Timing.Median(batched) * 1e3);
            Print("episodes_sequential_ms", Timing.Median(sequential) * 1e3);
            Print("episodes_batching_speedup", Timing.Median(sequential.Zip(batched, (s, b) => s / b)));
            // Per turn: the episodes' time over MaxTurns single-turn generations (1 = a turn costs what a single-turn step's sampling does).
            Print("episode_turn_vs_single_turn_ratio", Timing.Median(batched.Zip(singleTurn, (b, s) => b / (EpisodeBenchmark.MaxTurns * s))));
        }

        if (!options.Groups.Contains("decode")) return 0;
        using (var decode = new DecodeBenchmark(ModelConfig.Small, options.DecodeBatch, options.DecodePrompt, options.DecodeNewTokens))
        {
            var repetitions = Math.Min(3, options.Repetitions);
            var (cached, recompute) = Timing.Paired(() => decode.Generate(useKvCache: true),
                () => decode.Generate(useKvCache: false), warmup: 1, repetitions);
            Print("decode_tokens_per_s", decode.Tokens / Timing.Median(cached));
            Print("decode_tokens_per_s_recompute", decode.Tokens / Timing.Median(recompute));
            Print("kv_cache_speedup", Timing.Median(recompute.Zip(cached, (r, c) => r / c)));
        }
        return 0;
    }
}
