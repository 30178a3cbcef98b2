namespace RlStudio.Engine;

/// <summary>Every metric key the engine reports; slash-grouped, x-axis is the optimizer step.</summary>
public static class MetricKeys
{
    /// <summary>Mean combined reward of the step's completions (SFT: of its greedy eval completions).</summary>
    public const string RewardMean = "reward/mean";
    public const string RewardStd = "reward/std";
    /// <summary>Share of groups whose rewards were all equal (zero advantage).</summary>
    public const string RewardFracZeroStd = "reward/frac_zero_std";
    public const string PolicyKl = "policy/kl";
    public const string PolicyClipFrac = "policy/clip_frac";
    public const string PolicyEntropy = "policy/entropy";
    public const string LossPolicy = "loss/policy";
    public const string LossSft = "loss/sft";
    /// <summary>Mean generated tokens per completion (EOS included).</summary>
    public const string CompletionMeanLength = "completion/mean_length";
    public const string OptimLr = "optim/lr";
    public const string OptimGradNorm = "optim/grad_norm";
    /// <summary>Tokens processed (generated + trained on) per wall-clock second of the step.</summary>
    public const string PerfTokensPerSecond = "perf/tokens_per_s";
    public const string PerfStepSeconds = "perf/step_seconds";

    /// <summary><c>reward/&lt;function&gt;/mean</c>: mean score of one reward function over what it could score.</summary>
    public static string RewardFunctionMean(string functionName) => $"reward/{functionName}/mean";
}
