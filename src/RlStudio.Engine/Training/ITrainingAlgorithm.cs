namespace RlStudio.Engine.Training;

/// <summary>One optimizer step of an algorithm on a batch of prompts.</summary>
internal interface ITrainingAlgorithm
{
    /// <summary>How many examples the step consumes from the data stream.</summary>
    int ExamplesPerStep { get; }

    StepOutcome Step(TrainingContext context, IReadOnlyList<PromptExample> batch);
}
