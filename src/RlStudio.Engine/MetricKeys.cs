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
    /// <summary>Share of completion tokens with ratio below 1 − ε_low and a negative advantage (clipped from below).</summary>
    public const string PolicyClipFracLow = "policy/clip_frac_low";
    /// <summary>Share of completion tokens with ratio above 1 + ε_high and a positive advantage (clipped from above).</summary>
    public const string PolicyClipFracHigh = "policy/clip_frac_high";
    /// <summary>Approximate KL of the updated policy from the sampling one, mean of (ratio − 1) − log ratio (cleanrl's approx_kl); 0 at μ = 1.</summary>
    public const string PolicyApproxKl = "policy/approx_kl";
    /// <summary>Mean importance ratio π/π_old over completion tokens (1 at μ = 1 without minibatches).</summary>
    public const string PolicyRatioMean = "policy/ratio_mean";
    /// <summary>Largest importance ratio of any completion token in the step.</summary>
    public const string PolicyRatioMax = "policy/ratio_max";
    /// <summary>Mean entropy of the policy's next-token distributions over completion tokens.</summary>
    public const string PolicyEntropy = "policy/entropy";
    /// <summary>Mean advantage per completion (token-level advantages: each completion's mean).</summary>
    public const string AdvantageMean = "advantage/mean";
    public const string AdvantageStd = "advantage/std";
    public const string AdvantageMin = "advantage/min";
    public const string AdvantageMax = "advantage/max";
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
    /// <summary>
    /// DPO, IPO: share of held-out pairs whose chosen response the policy itself finds likelier (summed completion
    /// log-prob) than the rejected one — the preference it acts on, whatever the reference thinks.
    /// </summary>
    public const string EvalLogpAccuracy = "eval/logp_accuracy";
    /// <summary>Preference algorithms: the training loss on the held-out pairs.</summary>
    public const string EvalLoss = "eval/loss";
    /// <summary>Mean generated tokens per completion (EOS included).</summary>
    public const string CompletionMeanLength = "completion/mean_length";
    public const string CompletionMinLength = "completion/min_length";
    public const string CompletionMaxLength = "completion/max_length";
    /// <summary>Share of completions cut off at maxNewTokens before an EOS.</summary>
    public const string CompletionClippedRatio = "completion/clipped_ratio";

    /// <summary>
    /// Distinct completions per group over the group size, averaged over the step's groups (1: every completion differs;
    /// 1/G: each group wrote one completion G times, an output that has collapsed). Agentic runs: distinct transcripts.
    /// </summary>
    public const string CompletionDistinctFrac = "completion/distinct_frac";
    public const string OptimLr = "optim/lr";
    public const string OptimGradNorm = "optim/grad_norm";

    /// <summary>The metrics a healthy step keeps finite: every loss, the gradient norm and the mean reward.</summary>
    public static bool MustStayFinite(string key) =>
        key.StartsWith("loss/", StringComparison.Ordinal) || key == OptimGradNorm || key == RewardMean;
    /// <summary>Agentic runs: the share of a step's episodes that accomplished their task.</summary>
    public const string EnvSuccess = "env/success";
    /// <summary>Agentic runs: agent turns per episode.</summary>
    public const string EnvTurnsMean = "env/turns/mean";
    /// <summary>Agentic runs: the share of turns that were no valid action.</summary>
    public const string EnvInvalidActionFrac = "env/invalid_action_frac";
    /// <summary>Agentic runs: the environment's action-level reward per turn (before weighting).</summary>
    public const string EnvStepRewardMean = "env/step_reward/mean";
    /// <summary>Agentic runs: the task-level (outcome) reward per episode.</summary>
    public const string RewardTaskMean = "reward/task/mean";
    /// <summary>Agentic runs: held-out tasks accomplished, one greedy episode each.</summary>
    public const string EvalEnvSuccess = "eval/env/success";
    public const string EvalEnvTurnsMean = "eval/env/turns/mean";

    /// <summary><c>env/info/&lt;counter&gt;</c>: an environment's own counter, per episode (e.g. calculator calls).</summary>
    public static string EnvInfo(string counter) => $"env/info/{counter}";

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
