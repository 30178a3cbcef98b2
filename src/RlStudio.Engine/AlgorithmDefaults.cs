namespace RlStudio.Engine;

/// <summary>Each algorithm's default options: what a run that names only its algorithm and steps trains with.</summary>
public static class AlgorithmDefaults
{
    public static TrainerOptions For(TrainingAlgorithm algorithm) => new() { Algorithm = algorithm };
}
