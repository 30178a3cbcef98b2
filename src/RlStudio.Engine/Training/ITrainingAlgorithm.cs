namespace RlStudio.Engine.Training;

/// <summary>One optimizer step of an algorithm on a batch of examples (prompts or preference pairs).</summary>
internal interface ITrainingAlgorithm<in TExample>
{
    /// <summary>How many examples the step consumes from the data stream.</summary>
    int ExamplesPerStep { get; }

    StepOutcome Step(TrainingContext context, IReadOnlyList<TExample> batch);

    /// <summary>Adds eval/* metrics for held-out examples after optimizer step <paramref name="step"/>; changes no training state.</summary>
    void Evaluate(TrainingContext context, IReadOnlyList<TExample> heldOut, int step, Dictionary<string, double> metrics);
}
