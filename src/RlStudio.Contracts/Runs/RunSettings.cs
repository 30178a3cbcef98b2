using System.ComponentModel.DataAnnotations;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// Training settings of a run, camelCase on the wire. Each property is one setting and its whole definition: the
/// algorithms that take it, label and doc (<see cref="RunSettingAttribute"/>), range (<see cref="RangeAttribute"/>),
/// default (the initializer, or <see cref="DefaultForAttribute"/> per algorithm). The validator, the New Run form,
/// <c>docs/algorithms.md</c> and the worker's mapping to the engine all read them through <see cref="RunSettingCatalog"/>,
/// so adding a setting means adding it here and to the engine's options. Every setting has a default, so <c>{}</c> (or
/// only <c>steps</c>) is valid for every algorithm; <see cref="For"/> gives an algorithm's defaults.
/// </summary>
public sealed record RunSettings
{
    [RunSetting(SettingScope.All, "Steps", "Optimizer steps to train.", Main = true, Steerable = true)]
    [Range(1, 100_000)]
    public int Steps { get; init; } = 100;

    [RunSetting(SettingScope.All, "Batch size", "Examples per optimizer step: SFT examples, sampled completions (prompts × groupSize) or preference pairs.", Main = true)]
    [Range(1, 4096)]
    [DefaultFor(SettingScope.PolicyGradient, 128)]
    public int BatchSize { get; init; } = 32;

    [RunSetting(SettingScope.All, "Learning rate", "AdamW learning rate (constant).", Main = true, Steerable = true)]
    [Range(0d, 1d, MinimumIsExclusive = true)]
    [DefaultFor(SettingScope.PolicyGradient, 1e-4)]
    [DefaultFor(SettingScope.Preference, 3e-4)]
    [DefaultFor(SettingScope.RewardModel, 3e-4)]
    public double LearningRate { get; init; } = 1e-3;

    [RunSetting(SettingScope.Sampling, "Max new tokens", "Tokens sampled per completion (EOS included); agentic runs use maxTokensPerTurn.", Main = true, SingleTurn = true)]
    [Range(1, 2048)]
    public int MaxNewTokens { get; init; } = 8;

    [RunSetting(SettingScope.Sampling, "Temperature", "Sampling temperature; 0 is greedy (RL needs > 0; SFT's own samples are always greedy).", Main = true, Steerable = true)]
    [Range(0d, 10d)]
    public double Temperature { get; init; } = 1.0;

    [RunSetting(SettingScope.All, "Checkpoint every", "Save a checkpoint every N steps; the final step always saves.", Main = true, PlatformOnly = true, Steerable = true)]
    [Range(1, 100_000)]
    public int CheckpointEvery { get; init; } = 50;

    [RunSetting(SettingScope.PolicyGradient, "Group size", "Completions sampled per prompt; divides batchSize (GRPO, RLOO and the REINFORCE++ group baseline need ≥ 2).", Main = true)]
    [Range(1, 256)]
    public int GroupSize { get; init; } = 8;

    [RunSetting(SettingScope.PolicyGradient, "β (KL)", "KL weight against the frozen starting policy (GRPO, RLOO: k3 term in the loss; REINFORCE++, PPO: per-token penalty in the reward); 0 keeps no reference model.", Main = true, Steerable = true)]
    [Range(0d, 10d)]
    public double Beta { get; init; } = 0.04;

    [RunSetting(SettingScope.PolicyGradient, "Clip ε", "PPO-style ratio clip ε for both sides unless clipEpsilonLow / clipEpsilonHigh say otherwise.", Steerable = true)]
    [Range(0d, 1d, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double ClipEpsilon { get; init; } = 0.2;

    [RunSetting(SettingScope.PolicyGradient, "Clip ε low", "Lower clip ε (ratios below 1 − ε are clipped); empty = clipEpsilon.", Steerable = true)]
    [Range(0d, 1d, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double? ClipEpsilonLow { get; init; }

    [RunSetting(SettingScope.PolicyGradient, "Clip ε high", "Upper clip ε (DAPO clip-higher when above the lower one, e.g. 0.28); empty = clipEpsilon.", Steerable = true)]
    [Range(0d, 10d, MinimumIsExclusive = true)]
    public double? ClipEpsilonHigh { get; init; }

    [RunSetting(SettingScope.PolicyGradient, "Updates per batch (μ)", "Optimizer updates per sampled batch against its stored old log-probs.")]
    [Range(1, 64)]
    public int PolicyUpdatesPerBatch { get; init; } = 1;

    [RunSetting(SettingScope.PolicyGradient, "Minibatches", "Each of the μ updates walks the batch in this many equal slices, one optimizer step each (less activation memory); divides batchSize.")]
    [Range(1, 4096)]
    public int MiniBatches { get; init; } = 1;

    [RunSetting(SettingScope.PolicyGradient, "Importance level", "Importance ratio per token (PPO, GRPO) or per sequence (GSPO).")]
    public ImportanceLevelSetting ImportanceLevel { get; init; } = ImportanceLevelSetting.Token;

    [RunSetting(SettingScope.PolicyGradient, "Loss aggregation", "How token losses are averaged: per sequence then over sequences (GRPO), over all tokens (DAPO), or Dr. GRPO's constant.")]
    public LossAggregationSetting LossAggregation { get; init; } = LossAggregationSetting.SequenceMean;

    [RunSetting(SettingScope.Grpo, "Advantage scale", "Reward scaling: group std (GRPO), batch std, or none (Dr. GRPO).")]
    public AdvantageScaleSetting AdvantageScale { get; init; } = AdvantageScaleSetting.Group;

    [RunSetting(SettingScope.ReinforcePp, "Group-mean baseline", "Subtract the group's mean reward first (REINFORCE++-baseline).")]
    public bool GroupBaseline { get; init; }

    [RunSetting(SettingScope.Ppo, "γ", "Discount.")]
    [Range(0d, 1d)]
    public double Gamma { get; init; } = 1.0;

    [RunSetting(SettingScope.Ppo, "λ (GAE)", "GAE λ.")]
    [Range(0d, 1d)]
    public double Lambda { get; init; } = 0.95;

    [RunSetting(SettingScope.Ppo, "Value clip ε", "Value clip ε around the rollout's values.")]
    [Range(0d, 10d, MinimumIsExclusive = true)]
    public double ValueClipEpsilon { get; init; } = 0.2;

    [RunSetting(SettingScope.Ppo, "Value loss weight", "Weight of the value loss in the total loss.", Steerable = true)]
    [Range(0d, 10d)]
    public double ValueLossCoef { get; init; } = 0.1;

    [RunSetting(SettingScope.Ppo, "Whiten advantages", "Whiten the GAE advantages over the batch's completion tokens.")]
    public bool WhitenAdvantages { get; init; } = true;

    [RunSetting(SettingScope.Agent, "Max turns", "Agent turns per episode at most; an episode that has not finished by then ends unfinished.", Main = true)]
    [Range(1, 64)]
    public int MaxTurns { get; init; } = 8;

    [RunSetting(SettingScope.Agent, "Max tokens per turn", "Tokens the agent may write in one turn (EOS included); replaces maxNewTokens in agentic runs.", Main = true)]
    [Range(1, 2048)]
    public int MaxTokensPerTurn { get; init; } = 16;

    [RunSetting(SettingScope.Agent, "Invalid-action penalty", "Subtracted from a turn's reward when the environment cannot parse the turn as an action.")]
    [Range(0d, 10d)]
    public double InvalidActionPenalty { get; init; } = 0.1;

    [RunSetting(SettingScope.Agent, "Step reward weight", "Weight of the environment's action-level reward in each turn's reward (the task reward, 1 on success, goes on the last turn).")]
    [Range(0d, 10d)]
    public double StepRewardWeight { get; init; } = 0.1;

    [RunSetting(SettingScope.Agent, "Advantage mode", "episode: the episode's group advantage on every turn; gigpo: plus a step advantage among the group's turns that answered the same observation (GRPO, RLOO).", Main = true)]
    public AdvantageModeSetting AdvantageMode { get; init; } = AdvantageModeSetting.Episode;

    [RunSetting(SettingScope.Agent, "GiGPO step weight", "w in A = A_episode + w · A_step (advantageMode gigpo).")]
    [Range(0d, 10d)]
    public double StepAdvantageWeight { get; init; } = 1.0;

    [RunSetting(SettingScope.Preference, "β (preference)", "β of the implicit reward β·(logp − ref).", Main = true, Steerable = true)]
    [Range(0d, 10d, MinimumIsExclusive = true)]
    public double PreferenceBeta { get; init; } = 0.1;

    [RunSetting(SettingScope.RewardModel, "Margin", "Margin subtracted inside the Bradley–Terry loss.", Steerable = true)]
    [Range(0d, 10d)]
    public double RewardMargin { get; init; }

    [RunSetting(SettingScope.All, "Weight decay", "AdamW weight decay.")]
    [Range(0d, 1d)]
    public double WeightDecay { get; init; }

    [RunSetting(SettingScope.All, "Max grad norm", "Gradient-norm clip; 0 disables.", Steerable = true)]
    [Range(0d, 1000d)]
    public double MaxGradNorm { get; init; } = 1.0;

    [RunSetting(SettingScope.Sampling, "Top-k", "Sampling top-k; 0 disables.", Steerable = true)]
    [Range(0, 100_000)]
    public int TopK { get; init; }

    [RunSetting(SettingScope.Sampling, "Top-p", "Sampling top-p (nucleus); 1 disables.", Steerable = true)]
    [Range(0d, 1d, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 1.0;

    [RunSetting(SettingScope.All, "Evaluate every", "Evaluate on a held-out split every N steps (pass@1, pass@k and sampled accuracy per reward function; preference accuracy); 0 = off.", Main = true)]
    [Range(0, 100_000)]
    public int EvalEvery { get; init; } = 50;

    [RunSetting(SettingScope.All, "Held-out share", "Share of the dataset held out (never trained on) when evalEvery > 0.")]
    [Range(0d, 0.5d, MinimumIsExclusive = true)]
    public double EvalFraction { get; init; } = 0.1;

    [RunSetting(SettingScope.All, "Held-out examples", "Held-out examples scored per evaluation (at most the held-out split).")]
    [Range(0, 4096)]
    public int EvalSamples { get; init; } = 200;

    [RunSetting(SettingScope.Sampling, "pass@k samples", "Completions sampled per held-out prompt for pass@k (at the run's temperature, or 1 when it is 0).")]
    [Range(1, 64)]
    public int PassK { get; init; } = 4;

    [RunSetting(SettingScope.All, "Precision", "float32, or bfloat16 mixed precision (fp32 master weights and optimizer state; for GPUs, also runs on CPUs).")]
    public PrecisionSetting Precision { get; init; } = PrecisionSetting.Float32;

    [RunSetting(SettingScope.All, "LoRA rank", "0 trains every weight; ≥ 1 trains only low-rank adapters on loraTargets (the frozen reference is the adapter-free policy).")]
    [Range(0, 1024)]
    public int LoraRank { get; init; }

    [RunSetting(SettingScope.All, "LoRA α", "The adapters' output is scaled by α / rank.")]
    [Range(0d, 4096d, MinimumIsExclusive = true)]
    public double LoraAlpha { get; init; } = 16;

    [RunSetting(SettingScope.All, "LoRA targets", "Linear layers that get adapters.")]
    [AllowedValues("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")]
    public IReadOnlyList<string> LoraTargets { get; init; } = DefaultLoraTargets;

    [RunSetting(SettingScope.All, "Keep the device while paused", "Paused, the trainer keeps its process, model and device memory and goes on at once when continued; off, pausing frees the device and continuing loads the pause checkpoint on whichever worker claims the run.", PlatformOnly = true, Steerable = true)]
    public bool KeepDeviceWhilePaused { get; init; }

    [RunSetting(SettingScope.All, "Keep newest checkpoints", "Keep the newest N checkpoints (and the best ones, below); 0 keeps every checkpoint.", PlatformOnly = true, Steerable = true)]
    [Range(0, 100_000)]
    public int KeepLastCheckpoints { get; init; }

    [RunSetting(SettingScope.All, "Keep best checkpoints", "Also keep the M checkpoints that rank best by bestCheckpointMetric; needs keepLastCheckpoints ≥ 1.", PlatformOnly = true, Steerable = true)]
    [Range(0, 100_000)]
    public int KeepBestCheckpoints { get; init; }

    [RunSetting(SettingScope.All, "Best-checkpoint metric", "The metric that ranks checkpoints for keepBestCheckpoints: its newest value at or before each checkpoint's step (e.g. eval/exact_match/pass@1).", PlatformOnly = true, Steerable = true)]
    [MaxLength(MetricPoint.MaxKeyLength)]
    public string? BestCheckpointMetric { get; init; }

    [RunSetting(SettingScope.All, "Best-checkpoint goal", "Whether a higher (max) or lower (min) bestCheckpointMetric is better.", PlatformOnly = true, Steerable = true)]
    public MetricGoalSetting BestCheckpointGoal { get; init; } = MetricGoalSetting.Max;

    [RunSetting(SettingScope.PolicyGradient, "Alarm: entropy below", "Raise entropy_collapse when policy/entropy stays below this for 5 steps; 0 = off.", PlatformOnly = true, Steerable = true)]
    [Range(0d, 100d)]
    public double AlarmEntropyBelow { get; init; } = 0.05;

    [RunSetting(SettingScope.PolicyGradient, "Alarm: KL above", "Raise kl_high when policy/kl stays above this for 3 steps; 0 = off.", PlatformOnly = true, Steerable = true)]
    [Range(0d, 1000d)]
    public double AlarmKlAbove { get; init; } = 1.0;

    [RunSetting(SettingScope.PolicyGradient, "Alarm: distinct completions below", "Raise diversity_collapse when completion/distinct_frac (distinct completions per group ÷ group size) averages below this over 5 steps; 0 = off.", PlatformOnly = true, Steerable = true)]
    [Range(0d, 1d)]
    public double AlarmDistinctBelow { get; init; } = 0.25;

    [RunSetting(SettingScope.PolicyGradient, "Alarm: grad-norm spike", "Raise grad_spike when optim/grad_norm exceeds this many times its median over the previous 20 steps; 0 = off.", PlatformOnly = true, Steerable = true)]
    [Range(0d, 1_000_000d)]
    public double AlarmGradSpike { get; init; } = 10;

    [RunSetting(SettingScope.PolicyGradient, "Alarm: pause the run", "Pause the run at its next step boundary (checkpoint kept) when an alarm is raised, so it can be looked at, changed and continued.", PlatformOnly = true, Steerable = true)]
    public bool AlarmPause { get; init; }

    /// <summary>One shared default, so settings left at their defaults compare equal (records compare lists by reference).</summary>
    public static readonly IReadOnlyList<string> DefaultLoraTargets = ["q_proj", "v_proj"];

    /// <summary>The settings as on the wire: every key, camelCase.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson() =>
        System.Text.Json.JsonSerializer.SerializeToNode(this, System.Text.Json.JsonSerializerOptions.Web)!.AsObject();

    /// <summary>An algorithm's default settings (every property; those it does not take keep their initializers).</summary>
    public static RunSettings For(Algorithm algorithm) => RunSettingCatalog.DefaultsFor(algorithm);
}
