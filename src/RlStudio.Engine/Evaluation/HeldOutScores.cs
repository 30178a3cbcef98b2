namespace RlStudio.Engine.Evaluation;

/// <summary>
/// One reward function's held-out figures: greedy pass@1, sampled pass@k (any of k samples passes) and the sampled
/// mean accuracy (share of all samples that pass), each over the prompts the function could score (null when none).
/// </summary>
public sealed record HeldOutScores(string Function, double? PassAt1, double? PassAtK, double? SampledMean);
