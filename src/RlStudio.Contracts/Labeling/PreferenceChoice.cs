using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Labeling;

/// <summary>A stored label, in the item's own order (A, B), whatever sides the labeler saw them on.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PreferenceChoice>))]
public enum PreferenceChoice { A, B, Tie, BothBad }

/// <summary>What a labeler answers about the two sides they were shown.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SideChoice>))]
public enum SideChoice { Left, Right, Tie, BothBad }
