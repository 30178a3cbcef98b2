using System.Text.Json.Nodes;

namespace RlStudio.Data.Entities;

/// <summary>
/// A change of a run's settings while it trains (table <c>run_setting_changes</c>): part of the run's history, so a run
/// resumed from an earlier checkpoint applies it again at the same step. See <c>SettingChangeDto</c> for the fields.
/// </summary>
public sealed class RunSettingChange
{
    public long Id { get; set; }
    public long RunId { get; set; }
    /// <summary>The changed settings as on the wire (validated), reward weights under <c>rewardWeights</c>.</summary>
    public required JsonObject Changes { get; set; }
    /// <summary>The first step trained with the change; null until a worker applies a change meant for its next step boundary.</summary>
    public int? Step { get; set; }
    public long? RequestedById { get; set; }
    /// <summary>The requesting account's name, kept when the account is deleted.</summary>
    public string? RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public string? Error { get; set; }
}
