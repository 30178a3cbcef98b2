namespace RlStudio.Engine;

public enum TrainingAlgorithm
{
    /// <summary>Supervised fine-tuning: cross-entropy on reference completions only.</summary>
    Sft,
    /// <summary>Group Relative Policy Optimization: sampled groups, group-relative advantages, clipped loss + k3 KL.</summary>
    Grpo,
}
