namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Settings with which the tiny preset learns addition on 2 CPU cores within the test's time: SFT to a
/// partly-correct policy, then GRPO with exact match lifts its reward. Measured, not guessed (see README).
/// </summary>
internal static class E2eRecipe
{
    public const int Digits = 2;
    public const int DatasetSize = 2000;
    public const int SftSteps = 150;
    public const int GrpoSteps = 40;
    public const int RewardWindow = 5;

    public static object SftSettings => new { steps = SftSteps, batchSize = 32, learningRate = 3e-3, maxNewTokens = 4, checkpointEvery = 50 };

    public static object GrpoSettings => new { steps = GrpoSteps, batchSize = 32, groupSize = 8, learningRate = 5e-4, maxNewTokens = 4, temperature = 1.0, beta = 0.0, checkpointEvery = 20 };
}
