namespace RlStudio.Contracts.Runs;

/// <summary>One reward function of a run and its weight in the combined reward.</summary>
public sealed record RewardSpec(RewardType Type, double Weight = 1.0);
