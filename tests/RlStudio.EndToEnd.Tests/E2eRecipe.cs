namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The engine's measured demo recipe (RlStudio.Engine.Tasks.DemoRecipe) as run-spec settings: the tiny preset
/// learns 2-digit addition by SFT in ~600 steps, then GRPO with exact match lifts its sampled reward.
/// </summary>
internal static class E2eRecipe
{
    public const int Digits = 2;
    public const int DatasetSize = 5000;
    public const int SftSteps = 600;
    public const int GrpoSteps = 100;
    public const int RewardWindow = 10;

    public static object SftSettings => new { steps = SftSteps, batchSize = 64, learningRate = 1e-3, maxNewTokens = Digits + 2, temperature = 0.0, checkpointEvery = 200 };

    public static object GrpoSettings => new
    {
        steps = GrpoSteps, batchSize = 256, groupSize = 16, learningRate = 1e-4, maxNewTokens = Digits + 2,
        temperature = 1.0, beta = 0.04, clipEpsilon = 0.2, checkpointEvery = 50,
    };
}
