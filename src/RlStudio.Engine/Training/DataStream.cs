namespace RlStudio.Engine.Training;

/// <summary>Seeded training order over the train split, plus the held-out split for evaluation.</summary>
internal sealed class DataStream<T> : IDataStream
{
    private readonly ITrainingAlgorithm<T> algorithm;
    private readonly IReadOnlyList<T> heldOut;
    private readonly DataOrder<T> order;

    public DataStream(ITrainingAlgorithm<T> algorithm, IReadOnlyList<T> data, TrainerOptions options, long cursor)
    {
        this.algorithm = algorithm;
        var (train, held) = HeldOutSplit.Split(data, options);
        heldOut = held;
        order = new DataOrder<T>(train, options.Seed, cursor);
    }

    public long Cursor => order.Cursor;

    public StepOutcome Step(TrainingContext context) => algorithm.Step(context, order.Take(algorithm.ExamplesPerStep));

    public void Evaluate(TrainingContext context, int step, Dictionary<string, double> metrics)
    {
        if (heldOut.Count == 0) return;
        algorithm.Evaluate(context, heldOut.Take(context.Options.EvalSamples).ToArray(), step, metrics);
    }
}
