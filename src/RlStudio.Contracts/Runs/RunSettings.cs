namespace RlStudio.Contracts.Runs;

/// <summary>
/// Training settings of a run, camelCase on the wire. Every property has a default, so <c>{}</c> (or only
/// <c>steps</c>) is valid for every algorithm. A key that the run's algorithm does not use is rejected; which
/// algorithms take which key is <see cref="RunSettingKeys"/>.
/// </summary>
public sealed record RunSettings
{
    /// <summary>Optimizer steps to train. 1..100000.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Completions per optimizer step (GRPO: prompts × groupSize). 1..4096.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>AdamW learning rate. (0, 1].</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Tokens sampled per completion. 1..2048.</summary>
    public int MaxNewTokens { get; init; } = 8;

    /// <summary>Sampling temperature; 0 is greedy. 0..10.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Save a checkpoint every N steps (the final step always saves). 1..100000.</summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>GRPO: completions sampled per prompt. 2..256; must divide <see cref="BatchSize"/>.</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>GRPO: KL coefficient against the frozen reference (k3 estimator); 0 skips the reference. 0..10.</summary>
    public double Beta { get; init; } = 0.04;

    /// <summary>GRPO: PPO-style ratio clip ε. (0, 1).</summary>
    public double ClipEpsilon { get; init; } = 0.2;

    /// <summary>RL: lower clip ε (ratios below 1 − ε are clipped); null = <see cref="ClipEpsilon"/>. (0, 1).</summary>
    public double? ClipEpsilonLow { get; init; }

    /// <summary>RL: upper clip ε (DAPO clip-higher when above the lower one); null = <see cref="ClipEpsilon"/>. [low, 10].</summary>
    public double? ClipEpsilonHigh { get; init; }

    /// <summary>RL: optimizer updates per sampled batch (μ) against its stored old log-probs. 1..64.</summary>
    public int PolicyUpdatesPerBatch { get; init; } = 1;

    /// <summary>RL: each of the μ updates walks the batch in this many equal minibatches, one optimizer step each (less activation memory). 1..4096; divides <see cref="BatchSize"/>.</summary>
    public int MiniBatches { get; init; } = 1;

    /// <summary>RL: importance ratio per token or per sequence (GSPO).</summary>
    public ImportanceLevelSetting ImportanceLevel { get; init; } = ImportanceLevelSetting.Token;

    /// <summary>RL: how token losses are averaged (sequence_mean, token_mean, dr_grpo).</summary>
    public LossAggregationSetting LossAggregation { get; init; } = LossAggregationSetting.SequenceMean;

    /// <summary>GRPO: reward scaling (group, batch, none = Dr. GRPO).</summary>
    public AdvantageScaleSetting AdvantageScale { get; init; } = AdvantageScaleSetting.Group;

    /// <summary>REINFORCE++: subtract the group's mean reward first (the group-baseline variant).</summary>
    public bool GroupBaseline { get; init; }

    /// <summary>PPO: discount γ. [0, 1].</summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>PPO: GAE λ. [0, 1].</summary>
    public double Lambda { get; init; } = 0.95;

    /// <summary>PPO: value clip ε around the rollout's values. (0, 10].</summary>
    public double ValueClipEpsilon { get; init; } = 0.2;

    /// <summary>PPO: weight of the value loss. [0, 10].</summary>
    public double ValueLossCoef { get; init; } = 0.1;

    /// <summary>PPO: whiten the GAE advantages over the batch.</summary>
    public bool WhitenAdvantages { get; init; } = true;

    /// <summary>DPO, IPO: β of the implicit reward β·(logp − ref). (0, 10].</summary>
    public double PreferenceBeta { get; init; } = 0.1;

    /// <summary>Reward model: margin inside the Bradley–Terry loss. [0, 10].</summary>
    public double RewardMargin { get; init; }

    /// <summary>AdamW weight decay. [0, 1].</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip; 0 disables. [0, 1000].</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Sampling top-k; 0 disables. 0..100000.</summary>
    public int TopK { get; init; }

    /// <summary>Sampling top-p; 1 disables. (0, 1].</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Evaluate on a held-out split every N steps (pass@1, pass@k per reward function; RM accuracy); 0 = off. 0..100000.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Share of the dataset held out for evaluation when <see cref="EvalEvery"/> &gt; 0. (0, 0.5].</summary>
    public double EvalFraction { get; init; } = 0.1;

    /// <summary>Held-out examples per evaluation (SFT: also greedy samples per step for reward/mean). 0..4096.</summary>
    public int EvalSamples { get; init; } = 8;

    /// <summary>Sampled completions per held-out prompt for pass@k. 1..64.</summary>
    public int PassK { get; init; } = 4;

    /// <summary>float32, or bfloat16 mixed precision (for GPUs).</summary>
    public PrecisionSetting Precision { get; init; } = PrecisionSetting.Float32;

    /// <summary>LoRA rank; 0 trains every weight, ≥ 1 trains only low-rank adapters on <see cref="LoraTargets"/>. 0..1024.</summary>
    public int LoraRank { get; init; }

    /// <summary>LoRA α (the adapters' output is scaled by α / rank). (0, 4096].</summary>
    public double LoraAlpha { get; init; } = 16;

    /// <summary>Linear layers that get adapters: any of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.</summary>
    public IReadOnlyList<string> LoraTargets { get; init; } = DefaultLoraTargets;

    /// <summary>Checkpoint retention: keep the newest N checkpoints (and the best ones, below); 0 keeps every checkpoint. 0..100000.</summary>
    public int KeepLastCheckpoints { get; init; }

    /// <summary>Checkpoint retention: also keep the M checkpoints that rank best by <see cref="BestCheckpointMetric"/>. 0..100000; needs keepLastCheckpoints ≥ 1.</summary>
    public int KeepBestCheckpoints { get; init; }

    /// <summary>The metric that ranks checkpoints for <see cref="KeepBestCheckpoints"/>: its newest value at or before each checkpoint's step (e.g. <c>eval/exact_match/pass@1</c>).</summary>
    public string? BestCheckpointMetric { get; init; }

    /// <summary>Whether a higher (max) or lower (min) <see cref="BestCheckpointMetric"/> is better.</summary>
    public MetricGoalSetting BestCheckpointGoal { get; init; } = MetricGoalSetting.Max;

    /// <summary>One shared default, so settings left at their defaults compare equal (records compare lists by reference).</summary>
    public static readonly IReadOnlyList<string> DefaultLoraTargets = ["q_proj", "v_proj"];
}
