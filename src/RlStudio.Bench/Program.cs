using RlStudio.Bench;

return args.FirstOrDefault() switch
{
    "engine" => EngineBenchmark.Run(Console.Out, EngineBenchmarkOptions.Parse(args.Skip(1).ToArray())),
    "learn" => LearnBenchmark.Run(Console.Out, LearnBenchmarkOptions.Parse(args.Skip(1).ToArray())),
    StoreBenchmark.Command => await StoreBenchmark.RunAsync(Console.Out, args),
    GrpoMemoryBenchmark.Command when args.Length == 4 => RunGrpoMemory(int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3])),
    _ => Usage(),
};

static int RunGrpoMemory(int miniBatches, int steps, int threads)
{
    TorchSharp.torch.set_num_threads(threads);
    return GrpoMemoryBenchmark.Run(Console.Out, miniBatches, steps);
}

static int Usage()
{
    Console.Error.WriteLine("usage: RlStudio.Bench engine [--quick] [--threads N] | store [--only ingest,history,push,dispatch,runs] | learn [--quick] [--task T (reverse, add, sort, count, number_guess, calculator)] [--algorithm A (grpo, dr_grpo, dapo, rloo, reinforce_pp, ppo, dpo, ipo, reward_model, episode, gigpo)] [--steps N] [--set JSON]");
    return 2;
}
