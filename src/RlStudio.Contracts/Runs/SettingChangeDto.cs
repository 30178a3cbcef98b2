using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// A change of a run's settings while it trains (<c>PATCH /api/runs/{id}/settings</c>): the changed settings as on the wire,
/// reward weights under <see cref="SettingChanges.RewardWeightsKey"/>. <see cref="Step"/> is the first step trained with
/// it: set when the change was scheduled (<c>atStep</c>) or made while the run was not on a worker, else when the worker
/// applied it at its next step boundary (null until then). <see cref="AppliedAt"/> is when a worker confirmed it;
/// <see cref="Error"/> says why a worker could not apply it.
/// </summary>
public sealed record SettingChangeDto(
    long Id,
    JsonObject Changes,
    int? Step,
    string? RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AppliedAt,
    string? Error = null)
{
    /// <summary>Not yet applied or refused by a worker.</summary>
    public bool Pending => AppliedAt is null && Error is null;
}
