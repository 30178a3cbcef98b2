namespace RlStudio.Engine.Training;

/// <summary>A run's training data (prompts or preference pairs) bound to the algorithm that consumes it.</summary>
internal interface IDataStream
{
    /// <summary>Training examples consumed so far (the resumable position).</summary>
    long Cursor { get; }

    StepOutcome Step(TrainingContext context);

    /// <summary>Adds the held-out evaluation metrics of optimizer step <paramref name="step"/>.</summary>
    void Evaluate(TrainingContext context, int step, Dictionary<string, double> metrics);
}
