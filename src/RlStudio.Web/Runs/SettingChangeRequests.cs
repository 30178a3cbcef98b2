using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Runs;

/// <summary>
/// <c>PATCH /api/runs/{id}/settings</c>: a change of the settings that may change while a run trains
/// (<see cref="RunSettingDescriptor.Steerable"/>) and of its reward weights, validated like a new run's settings on top of
/// the run's current ones, then recorded as part of the run's history (<see cref="SettingChangeStore"/>). A run on a worker
/// takes it at its next step boundary, or at <c>atStep</c>; a queued, paused or lost run from the step after the one it
/// reached (or <c>atStep</c>) when it trains again.
/// </summary>
public sealed class SettingChangeRequests(RlStudioDbContext db)
{
    private static readonly RunStatus[] OnWorker = [RunStatus.Starting, RunStatus.Running, RunStatus.PauseRequested];
    private static readonly RunStatus[] Waiting = [RunStatus.Queued, RunStatus.Paused, RunStatus.Lost];

    public async Task<Outcome<SettingChangeDto>> RequestAsync(long runId, JsonObject? body, Caller caller, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Algorithm, r.Status, r.Step })
            .SingleOrDefaultAsync(cancellationToken);
        if (run is null) return Outcome<SettingChangeDto>.NotFound($"Run {runId} does not exist.");
        if (!run.Algorithm.IsNative())
            return Outcome<SettingChangeDto>.Conflict($"Run {runId} is an external run: its trainer, not RL Studio, owns its settings.");
        if (!OnWorker.Contains(run.Status) && !Waiting.Contains(run.Status))
            return Outcome<SettingChangeDto>.Conflict(run.Status is RunStatus.Failed or RunStatus.Cancelled
                ? $"Run {runId} is {run.Status}: resume it with settings (POST /api/runs/{runId}/resume {{\"settings\": {{…}}}})."
                : $"Run {runId} is {run.Status}; only a queued, training, paused or lost run takes settings changes.");
        var latest = (await db.LatestSpecAsync(runId, cancellationToken))!;
        var kind = await db.DatasetVersions.Where(v => v.Id == latest.DatasetVersionId).Select(v => v.Kind).SingleOrDefaultAsync(cancellationToken);

        var errors = new ValidationErrors();
        var changes = Read(body, run.Algorithm, kind, latest, errors, out var atStep);
        var settings = new JsonObject(changes.Where(c => c.Key != SettingChanges.RewardWeightsKey).Select(c => KeyValuePair.Create(c.Key, c.Value?.DeepClone())));
        var settingErrors = new ValidationErrors();
        var merged = RunSettingsValidator.ValidateOverrides(latest.Settings, settings, run.Algorithm, settingErrors, kind);
        AddUnprefixed(settingErrors, errors);
        if (merged is not null) CheckAgainstRun(latest.Settings, merged, run.Step, atStep, errors);
        if (!errors.IsEmpty || merged is null) return Outcome<SettingChangeDto>.Invalid(errors);

        // On a worker, the change waits for the next step boundary unless scheduled; otherwise it starts where the run goes on.
        var step = OnWorker.Contains(run.Status) ? atStep : atStep ?? run.Step + 1;
        return Outcome<SettingChangeDto>.Ok(await db.AddSettingChangeAsync(runId, changes, step, caller.UserId, caller.Name, cancellationToken));
    }

    /// <summary>The change's keys, each checked on its own: known, taken by the run, steerable; reward weights one per function.</summary>
    private static JsonObject Read(JsonObject? body, Algorithm algorithm, DatasetKind data, RunSpec latest, ValidationErrors errors, out int? atStep)
    {
        atStep = null;
        var changes = new JsonObject();
        if (body is null || body.Count == 0 || body.Count == 1 && body.ContainsKey(SettingChanges.AtStepKey))
        {
            errors.Add("body", $"name at least one setting to change, e.g. {{\"learningRate\": 5e-5}}; these can change while {Contracts.Json.WireName.Of(algorithm)} trains: {string.Join(", ", SteerableKeys(algorithm, data))}, {SettingChanges.RewardWeightsKey}");
            return changes;
        }
        foreach (var (key, value) in body)
        {
            if (key == SettingChanges.AtStepKey)
            {
                if (value is JsonValue v && v.TryGetValue<int>(out var at)) atStep = at;
                else errors.Add(SettingChanges.AtStepKey, "must be a whole number: the first step to train with the change");
                continue;
            }
            if (key == SettingChanges.RewardWeightsKey)
            {
                if (ReadWeights(value, latest.Rewards.Count, errors) is { } weights) changes[key] = weights;
                continue;
            }
            var setting = RunSettingCatalog.Find(key);
            if (setting is null || !setting.Takes(algorithm, data))
                errors.Add(key, $"not a setting of this run; these can change while it trains: {string.Join(", ", SteerableKeys(algorithm, data))}, {SettingChanges.RewardWeightsKey}");
            else if (!setting.Steerable)
                errors.Add(key, $"'{key}' cannot change while the run trains (it shapes the model, the data or memory); pause the run and resume it with settings, or start a new run");
            else
                changes[key] = value?.DeepClone();
        }
        return changes;
    }

    private static JsonArray? ReadWeights(JsonNode? value, int rewards, ValidationErrors errors)
    {
        if (value is not JsonArray array || array.Any(w => w is not JsonValue n || n.GetValueKind() != JsonValueKind.Number))
        {
            errors.Add(SettingChanges.RewardWeightsKey, $"must be an array of {rewards} numbers: one weight per reward function, in the run's order");
            return null;
        }
        if (array.Count != rewards)
        {
            errors.Add(SettingChanges.RewardWeightsKey, $"the run has {rewards} reward function{(rewards == 1 ? "" : "s")}; give {rewards} weight{(rewards == 1 ? "" : "s")}, not {array.Count}");
            return null;
        }
        var weights = array.Select(w => w!.GetValue<double>()).ToArray();
        if (weights.Any(w => !double.IsFinite(w)))
        {
            errors.Add(SettingChanges.RewardWeightsKey, "every weight must be a finite number");
            return null;
        }
        return new JsonArray(weights.Select(w => (JsonNode)JsonValue.Create(w)).ToArray());
    }

    /// <summary>The rules that depend on where the run is: steps ahead of it, β staying on the same side of 0, atStep in the future.</summary>
    private static void CheckAgainstRun(RunSettings current, RunSettings merged, int reached, int? atStep, ValidationErrors errors)
    {
        if (merged.Steps <= reached)
            errors.Add("steps", $"the run has reached step {reached}: steps must be above that");
        if (merged.Beta > 0 != current.Beta > 0)
            errors.Add("beta", current.Beta > 0
                ? "β cannot drop to 0 while the run trains (its frozen reference model was kept for β > 0); use a small value instead"
                : "β cannot become positive while the run trains: it keeps no reference model with β = 0");
        if (atStep is { } at && (at <= reached || at > merged.Steps))
            errors.Add(SettingChanges.AtStepKey, $"must be a step ahead of the run: above {reached} and at most {merged.Steps}");
    }

    /// <summary>The validator's errors, keyed as in this request's body (settings.learningRate → learningRate).</summary>
    private static void AddUnprefixed(ValidationErrors from, ValidationErrors into)
    {
        foreach (var (field, messages) in from.ToDictionary())
            foreach (var message in messages)
                into.Add(field.StartsWith("settings.", StringComparison.Ordinal) ? field["settings.".Length..] : field, message);
    }

    /// <summary>The settings a run of this algorithm and data can change while it trains.</summary>
    private static IReadOnlyList<string> SteerableKeys(Algorithm algorithm, DatasetKind data) =>
        RunSettingCatalog.For(algorithm, data).Where(d => d.Steerable).Select(d => d.Key).ToArray();
}
