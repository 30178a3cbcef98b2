namespace RlStudio.Engine;

/// <summary>Every metric key the engine reports; slash-grouped, x-axis is the optimizer step.</summary>
public static class MetricKeys
{
    /// <summary>Mean combined reward of the step's completions (SFT: of its greedy eval completions).</summary>
    public const string RewardMean = "reward/mean";
    public const string RewardStd = "reward/std";
    /// <summary>Share of groups whose rewards were all equal (zero advantage).</summary>
    public const string RewardFracZeroStd = "reward/frac_zero_std";
    /// <summary>Masked mean k3 KL of the policy against the frozen reference (0 without one).</summary>
    public const string PolicyKl = "policy/kl";
    /// <summary>Share of completion tokens whose clipped surrogate term was taken, averaged over the μ updates.</summary>
    public const string PolicyClipFrac = "policy/clip_frac";
    public const string PolicyEntropy = "policy/entropy";
    public const string LossPolicy = "loss/policy";
    public const string LossSft = "loss/sft";
    /// <summary>PPO: clipped value loss ½·max((V − R)², (clip(V) − R)²).</summary>
    public const string ValueLoss = "value/loss";
    /// <summary>PPO: 1 − Var(R − V) / Var(R) of the rollout's values against the GAE returns.</summary>
    public const string ValueExplainedVariance = "value/explained_variance";
    /// <summary>DPO: −log σ(β·h) averaged over pairs.</summary>
    public const string LossDpo = "loss/dpo";
    /// <summary>IPO: (h − 1/(2β))² averaged over pairs.</summary>
    public const string LossIpo = "loss/ipo";
    /// <summary>Reward model: Bradley–Terry −log σ(r_w − r_l − margin) averaged over pairs.</summary>
    public const string LossRewardModel = "loss/reward_model";
    /// <summary>DPO/IPO: mean implicit reward β·(logp − ref) of the chosen completions; reward model: mean chosen score.</summary>
    public const string RewardsChosen = "rewards/chosen";
    /// <summary>As <see cref="RewardsChosen"/> for the rejected completions.</summary>
    public const string RewardsRejected = "rewards/rejected";
    /// <summary>Mean of chosen − rejected.</summary>
    public const string RewardsMargin = "rewards/margin";
    /// <summary>Share of pairs whose chosen reward is strictly above the rejected one.</summary>
    public const string RewardsAccuracy = "rewards/accuracy";
    /// <summary>Preference algorithms: <see cref="RewardsAccuracy"/> on the held-out pairs (every EvalEvery steps).</summary>
    public const string EvalAccuracy = "eval/accuracy";
    /// <summary>Preference algorithms: the training loss on the held-out pairs.</summary>
    public const string EvalLoss = "eval/loss";
    /// <summary>Mean generated tokens per completion (EOS included).</summary>
    public const string CompletionMeanLength = "completion/mean_length";
    public const string OptimLr = "optim/lr";
    public const string OptimGradNorm = "optim/grad_norm";
    /// <summary>Tokens processed (generated + trained on) per wall-clock second of the step.</summary>
    public const string PerfTokensPerSecond = "perf/tokens_per_s";
    public const string PerfStepSeconds = "perf/step_seconds";

    /// <summary><c>reward/&lt;function&gt;/mean</c>: mean score of one reward function over what it could score.</summary>
    public static string RewardFunctionMean(string functionName) => $"reward/{functionName}/mean";

    /// <summary>
    /// <c>eval/&lt;function&gt;/pass@1</c>: share of held-out prompts whose greedy completion passes the function
    /// (score ≥ 0.5), among the prompts it could score.
    /// </summary>
    public static string EvalPassAt1(string functionName) => $"eval/{functionName}/pass@1";

    /// <summary>
    /// <c>eval/&lt;function&gt;/pass@k</c>: share of held-out prompts with at least one passing completion among
    /// <see cref="TrainerOptions.PassK"/> samples.
    /// </summary>
    public static string EvalPassAtK(string functionName) => $"eval/{functionName}/pass@k";

    /// <summary>
    /// <c>eval/&lt;function&gt;/sampled_mean</c>: share of all sampled held-out completions (at the run's temperature) that
    /// pass the function: what the policy answers when it samples, between pass@1 and pass@k.
    /// </summary>
    public static string EvalSampledMean(string functionName) => $"eval/{functionName}/sampled_mean";
}
