using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Runs;

/// <summary>A built-in reward function. Written on the wire in snake_case (<c>"exact_match"</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RewardType>))]
public enum RewardType
{
    /// <summary>1 when the trimmed completion equals the trimmed reference, else 0.</summary>
    ExactMatch,
    /// <summary>1 when the last number in the completion equals the reference's number, else 0; unscorable when the reference has no number.</summary>
    NumericMatch,
    /// <summary>1 when the completion matches <see cref="RewardSpec.Pattern"/> (a format reward), else 0.</summary>
    Regex,
    /// <summary>−<see cref="RewardSpec.PenaltyPerToken"/> per completion token beyond <see cref="RewardSpec.TargetTokens"/>, else 0.</summary>
    LengthPenalty,
    /// <summary>1 when the completion parses as JSON, else 0.</summary>
    JsonValid,
    /// <summary>The scalar score of a reward-model checkpoint (<see cref="RewardSpec.CheckpointId"/> or the newest of <see cref="RewardSpec.RunId"/>).</summary>
    RewardModel,
}
