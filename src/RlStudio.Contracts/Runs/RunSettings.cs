namespace RlStudio.Contracts.Runs;

/// <summary>
/// Training settings of a run, camelCase on the wire. Every property has a default, so <c>{}</c> is valid.
/// GRPO-only keys (<see cref="GroupSize"/>, <see cref="Beta"/>, <see cref="ClipEpsilon"/>) are rejected for SFT.
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
}
