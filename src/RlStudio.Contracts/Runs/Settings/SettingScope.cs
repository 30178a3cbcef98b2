namespace RlStudio.Contracts.Runs.Settings;

/// <summary>Which algorithms a run setting applies to, or which of them a per-algorithm default is for.</summary>
public enum SettingScope
{
    /// <summary>Every algorithm RL Studio trains (an external run has no settings here).</summary>
    All,
    /// <summary>Algorithms that sample completions: SFT (its greedy samples and held-out pass@k) and the RL ones.</summary>
    Sampling,
    /// <summary>GRPO, RLOO, REINFORCE++, PPO.</summary>
    PolicyGradient,
    Grpo,
    ReinforcePp,
    Ppo,
    /// <summary>DPO and IPO.</summary>
    Preference,
    RewardModel,
    /// <summary>
    /// Agentic runs: SFT and the policy gradients on a task dataset (how episodes are played, scored and credited). The
    /// algorithms take these settings only with a task dataset.
    /// </summary>
    Agent,
}

public static class SettingScopeExtensions
{
    /// <summary>The algorithms in a scope.</summary>
    public static IReadOnlyList<Algorithm> Algorithms(this SettingScope scope) => scope switch
    {
        SettingScope.All => AlgorithmExtensions.Native,
        SettingScope.Sampling => [Algorithm.Sft, .. SettingScope.PolicyGradient.Algorithms()],
        SettingScope.PolicyGradient => [Algorithm.Grpo, Algorithm.Rloo, Algorithm.ReinforcePp, Algorithm.Ppo],
        SettingScope.Grpo => [Algorithm.Grpo],
        SettingScope.ReinforcePp => [Algorithm.ReinforcePp],
        SettingScope.Ppo => [Algorithm.Ppo],
        SettingScope.Preference => [Algorithm.Dpo, Algorithm.Ipo],
        SettingScope.RewardModel => [Algorithm.RewardModel],
        SettingScope.Agent => [Algorithm.Sft, .. SettingScope.PolicyGradient.Algorithms()],
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    public static bool Includes(this SettingScope scope, Algorithm algorithm) => scope.Algorithms().Contains(algorithm);
}
