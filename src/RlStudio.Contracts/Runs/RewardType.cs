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
}
