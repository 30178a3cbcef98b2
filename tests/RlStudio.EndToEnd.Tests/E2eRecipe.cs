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

    /// <summary>Addition prompts "a+b=" with their sums as references (<paramref name="digits"/>-digit operands).</summary>
    public static string AdditionJsonl(int digits, int count, int seed)
    {
        var random = new Random(seed);
        var max = (int)Math.Pow(10, digits);
        var lines = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            int a = random.Next(max), b = random.Next(max);
            lines.Append("{\"prompt\":\"").Append(a).Append('+').Append(b).Append("=\",\"reference\":\"").Append(a + b).Append("\"}\n");
        }
        return lines.ToString();
    }
}
