using RlStudio.Bench;

return args.FirstOrDefault() switch
{
    "engine" => EngineBenchmark.Run(Console.Out, EngineBenchmarkOptions.Parse(args.Skip(1).ToArray())),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RlStudio.Bench engine [--quick] [--threads N]");
    return 2;
}
