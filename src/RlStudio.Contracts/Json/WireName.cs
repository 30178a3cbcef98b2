using System.Text.Json;

namespace RlStudio.Contracts.Json;

/// <summary>How an enum value is written on the wire (its type's converter decides: <c>"reinforce_pp"</c>, <c>"Queued"</c>).</summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonSerializer.Serialize(value).Trim('"');
}
