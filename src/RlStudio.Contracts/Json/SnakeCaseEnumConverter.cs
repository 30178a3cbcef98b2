using System.Text.Json;
using System.Text.Json.Serialization;

namespace RlStudio.Contracts.Json;

/// <summary>Writes and reads an enum as snake_case text (<c>ReinforcePp</c> ↔ <c>"reinforce_pp"</c>).</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
