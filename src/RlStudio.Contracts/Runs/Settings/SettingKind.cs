namespace RlStudio.Contracts.Runs.Settings;

/// <summary>The JSON shape of a run setting's value.</summary>
public enum SettingKind
{
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>Any finite number (a nullable one may be null: "use another setting's value").</summary>
    Number,
    Boolean,
    /// <summary>One of a few names (an enum, snake_case on the wire).</summary>
    Choice,
    /// <summary>A non-empty array of names from a fixed list.</summary>
    ChoiceList,
    /// <summary>A metric key (short text without control characters).</summary>
    MetricKey,
}
