using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// Body of <c>POST /api/runs</c>. Loosely typed on purpose (strings, raw settings object) so that
/// validation can name every bad field instead of failing on the first type error.
/// </summary>
public sealed record CreateRunRequest(
    string? Name,
    string? Experiment,
    string? Algorithm,
    string? Dataset,
    BaseModelSpec? Base,
    IReadOnlyList<RewardSpecRequest>? Rewards,
    JsonObject? Settings,
    long? Seed,
    string? Queue,
    int? Priority,
    string? Notes = null,
    IReadOnlyList<string?>? Tags = null,
    Launchers.LauncherSpec? Launcher = null);

/// <summary>
/// Body of <c>PATCH /api/runs/{id}</c>: what a user may change about a run at any time (name, notes, tags), and while it
/// is queued, its queue and priority (it moves in line at once). A null member stays as it is; empty notes clear them;
/// tags replace the run's tags.
/// </summary>
public sealed record UpdateRunRequest(string? Name = null, string? Notes = null, IReadOnlyList<string?>? Tags = null, string? Queue = null, int? Priority = null);

/// <summary>
/// One entry of <see cref="CreateRunRequest.Rewards"/>; <c>type</c> is checked against <see cref="RewardType"/> and the
/// parameters against what that type takes (see <see cref="RewardSpec"/>).
/// </summary>
public sealed record RewardSpecRequest(
    string? Type,
    double? Weight,
    string? Pattern = null,
    int? TargetTokens = null,
    double? PenaltyPerToken = null,
    long? CheckpointId = null,
    long? RunId = null);
