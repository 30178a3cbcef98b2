using System.Text.Json.Serialization;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Runs;

/// <summary>The training algorithm of a run. Written on the wire in snake_case (<c>"grpo"</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Algorithm>))]
public enum Algorithm
{
    /// <summary>Supervised fine-tuning on prompt → reference (completion-only loss).</summary>
    Sft,
    /// <summary>Group Relative Policy Optimization (and its DAPO / Dr. GRPO / GSPO variants via settings).</summary>
    Grpo,
    /// <summary>REINFORCE leave-one-out.</summary>
    Rloo,
    /// <summary>REINFORCE++ (and its group-baseline variant via <c>groupBaseline</c>).</summary>
    ReinforcePp,
    /// <summary>PPO with a value head and GAE.</summary>
    Ppo,
    /// <summary>Direct Preference Optimization on a preference dataset.</summary>
    Dpo,
    /// <summary>Identity Preference Optimization on a preference dataset.</summary>
    Ipo,
    /// <summary>Reward-model training (Bradley–Terry) on a preference dataset.</summary>
    RewardModel,
    /// <summary>
    /// Trained elsewhere (TRL, veRL, OpenRLHF, …) and reported through the MLflow-compatible tracking API: no dataset,
    /// base, rewards or settings here; its MLflow params are its configuration.
    /// </summary>
    External,
}

public static class AlgorithmExtensions
{
    /// <summary>
    /// The kinds of dataset an algorithm trains on: prompts or environment tasks (an agentic run) for SFT and the policy
    /// gradients, preference pairs for DPO, IPO and the reward model.
    /// </summary>
    public static IReadOnlyList<DatasetKind> DataKinds(this Algorithm algorithm) => algorithm switch
    {
        Algorithm.Sft or Algorithm.Grpo or Algorithm.Rloo or Algorithm.ReinforcePp or Algorithm.Ppo => [DatasetKind.Prompts, DatasetKind.Tasks],
        Algorithm.Dpo or Algorithm.Ipo or Algorithm.RewardModel => [DatasetKind.Preferences],
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>Learns from preference pairs (DPO, IPO, reward model).</summary>
    public static bool UsesPreferences(this Algorithm algorithm) => algorithm.DataKinds().Contains(DatasetKind.Preferences);

    /// <summary>Samples completions and scores them with reward functions (GRPO, RLOO, REINFORCE++, PPO).</summary>
    /// <summary>Trained by RL Studio's own workers (every algorithm but <see cref="Algorithm.External"/>).</summary>
    public static bool IsNative(this Algorithm algorithm) => algorithm != Algorithm.External;

    /// <summary>The algorithms RL Studio's workers train, the ones a run spec may name.</summary>
    public static IReadOnlyList<Algorithm> Native { get; } = Enum.GetValues<Algorithm>().Where(a => a.IsNative()).ToArray();

    public static bool IsPolicyGradient(this Algorithm algorithm) =>
        algorithm is Algorithm.Grpo or Algorithm.Rloo or Algorithm.ReinforcePp or Algorithm.Ppo;
}
