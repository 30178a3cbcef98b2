using System.Globalization;
using RlStudio.Engine.Model;
using static TorchSharp.torch;

namespace RlStudio.Bench;

/// <summary>
/// The engine's speed figures, measured side by side in one process and printed as "name: value" lines:
/// matmul peak, training FLOP/s ratio per preset, KV-cache decoding speedup, peak memory per preset.
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

        var matmul = MatmulBenchmark.FlopsPerSecond(512, inner: 20, options.Warmup, options.Repetitions);
        Print("matmul_gflops", matmul / 1e9);

        foreach (var (suffix, config) in new[] { ("", ModelConfig.Small), ("_tiny", ModelConfig.Tiny) })
        {
            using var bench = new TrainStepBenchmark(config, options.TrainBatch, options.TrainTokens);
            var seconds = Timing.MedianSeconds(bench.Step, options.Warmup, options.Repetitions);
            Print($"train_step_ms{suffix}", seconds * 1e3);
            Print($"train_flops_ratio{suffix}", bench.FlopsPerStep() / seconds / matmul);
        }

        using (var decode = new DecodeBenchmark(ModelConfig.Small, options.DecodeBatch, options.DecodePrompt, options.DecodeNewTokens))
        {
            var cached = Timing.MedianSeconds(() => decode.Generate(useKvCache: true), options.Warmup, options.Repetitions);
            var recompute = Timing.MedianSeconds(() => decode.Generate(useKvCache: false), 1, Math.Min(3, options.Repetitions));
            Print("decode_tokens_per_s", decode.Tokens / cached);
            Print("decode_tokens_per_s_recompute", decode.Tokens / recompute);
            Print("kv_cache_speedup", recompute / cached);
        }

        if (PeakMemory.Supported)
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
        }
        return 0;
    }
}
