namespace RlStudio.Engine.Rewards;

/// <summary>Scores a batch of completions; null marks a completion this function cannot score.</summary>
public interface IRewardFunction
{
    /// <summary>Stable snake_case name, used in metric keys (<c>reward/&lt;name&gt;/mean</c>) and rollout records.</summary>
    string Name { get; }

    IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions);
}
