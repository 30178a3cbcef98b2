namespace RlStudio.Engine.Rewards;

/// <summary>A reward function and its weight in the combined reward.</summary>
public sealed record WeightedReward(IRewardFunction Function, double Weight = 1.0);
