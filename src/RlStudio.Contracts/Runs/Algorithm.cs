using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Runs;

/// <summary>The training algorithm of a run. Written on the wire in snake_case (<c>"grpo"</c>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Algorithm>))]
public enum Algorithm
{
    Sft,
    Grpo,
}
