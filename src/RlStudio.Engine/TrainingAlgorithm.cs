namespace RlStudio.Engine;

public enum TrainingAlgorithm
{
    /// <summary>Supervised fine-tuning: cross-entropy on reference completions only.</summary>
    Sft,
    /// <summary>Group Relative Policy Optimization: sampled groups, group-relative advantages, clipped loss + k3 KL.</summary>
    Grpo,
    /// <summary>REINFORCE leave-one-out: A_i = r_i − mean of the group's other rewards; clipped loss + k3 KL.</summary>
    Rloo,
    /// <summary>REINFORCE++: KL-penalized token returns whitened over the batch (optionally group-mean baseline first); clipped loss.</summary>
    ReinforcePp,
    /// <summary>PPO with a scalar value head on the policy: KL-shaped token rewards, GAE, clipped policy and value losses.</summary>
    Ppo,
    /// <summary>Direct Preference Optimization on (prompt, chosen, rejected) against a frozen reference.</summary>
    Dpo,
    /// <summary>Identity Preference Optimization: squared loss (h − 1/(2β))² on the DPO log-ratio margin.</summary>
    Ipo,
    /// <summary>Reward model: Bradley–Terry loss on a scalar head over the last token of prompt + completion.</summary>
    RewardModel,
}
