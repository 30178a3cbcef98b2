using System.Text.RegularExpressions;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;

namespace RlStudio.Web.Runs;

/// <summary>
/// Turns a loosely typed <see cref="CreateRunRequest"/> into a <see cref="ValidatedRun"/>, or names every bad
/// field (<c>name</c>, <c>algorithm</c>, <c>dataset</c>, <c>base</c>, <c>base.preset</c>, <c>rewards[0].type</c>,
/// <c>settings.batchSize</c>, …). Defaults: experiment <c>default</c>, queue <c>default</c>, priority 0, a random seed.
/// </summary>
public sealed partial class RunRequestValidator(IRunReferences references)
{
    public const string DefaultExperiment = "default";
    public const string DefaultQueue = "default";
    public const int MaxNameLength = 200;

    public async Task<(ValidatedRun? Run, ValidationErrors Errors)> ValidateAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();

        var name = ValidateName(request.Name, errors);
        var notes = RunLabels.Notes(request.Notes, errors);
        var tags = RunLabels.Tags(request.Tags, errors);

        var experiment = string.IsNullOrWhiteSpace(request.Experiment) ? DefaultExperiment : request.Experiment.Trim();
        if (experiment.Length > MaxNameLength)
        {
            errors.Add("experiment", $"at most {MaxNameLength} characters (got {experiment.Length})");
        }

        var queue = string.IsNullOrWhiteSpace(request.Queue) ? DefaultQueue : request.Queue.Trim();
        if (request.Algorithm == WireName.Of(Algorithm.External))
        {
            // Trained elsewhere: launched on a registered cluster; nothing of a native run's spec applies.
            var launch = await new Launchers.LaunchValidator(references).ValidateAsync(request, errors, cancellationToken);
            if (!errors.IsEmpty || launch is null) return (null, errors);
            return (new ValidatedRun(name!, experiment, Launchers.LaunchValidator.Queue, request.Priority ?? 0, RunSpec.External, notes, tags, launch), errors);
        }
        if (request.Launcher is not null)
        {
            errors.Add("launcher", "only an external run (\"algorithm\": \"external\") is launched elsewhere");
        }
        var algorithm = ParseAlgorithm(request.Algorithm, errors);
        var dataset = await ValidateDatasetAsync(request.Dataset, algorithm, errors, cancellationToken);
        var baseModel = await ValidateBaseAsync(request.Base, queue, errors, cancellationToken);
        var rewards = await new RewardSpecValidator(references).ValidateAsync(request.Rewards, algorithm, dataset?.Kind, errors, cancellationToken);
        var settings = RunSettingsValidator.Validate(request.Settings, algorithm, errors, dataset?.Kind);

        if (!QueueName().IsMatch(queue))
        {
            errors.Add("queue", "1–50 lowercase letters, digits, '_' or '-' (a Hangfire queue name)");
        }

        if (request.Seed is < 0)
        {
            errors.Add("seed", "must be ≥ 0");
        }
        var seed = request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);

        if (!errors.IsEmpty || algorithm is null || dataset is null || baseModel is null || rewards is null || settings is null)
        {
            return (null, errors);
        }
        var spec = new RunSpec(algorithm.Value, dataset.Value.Id, dataset.Value.VersionId, baseModel, rewards, settings, seed);
        return (new ValidatedRun(name!, experiment, queue, request.Priority ?? 0, spec, notes, tags), errors);
    }

    /// <summary>A run's name, trimmed: required, at most <see cref="MaxNameLength"/> characters.</summary>
    public static string? ValidateName(string? name, ValidationErrors errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add("name", "required");
        }
        else if (trimmed.Length > MaxNameLength)
        {
            errors.Add("name", $"at most {MaxNameLength} characters (got {trimmed.Length})");
        }
        return trimmed;
    }

    private static Algorithm? ParseAlgorithm(string? text, ValidationErrors errors)
    {
        var names = string.Join(", ", AlgorithmExtensions.Native.Select(WireName.Of));
        if (string.IsNullOrEmpty(text))
        {
            errors.Add("algorithm", $"required: one of {names}");
            return null;
        }
        var algorithm = AlgorithmExtensions.Native.Cast<Algorithm?>().FirstOrDefault(a => WireName.Of(a!.Value) == text);
        if (algorithm is null)
        {
            errors.Add("algorithm", $"unknown algorithm '{text}'; expected one of {names}");
        }
        return algorithm;
    }

    private async Task<(long Id, long VersionId, DatasetKind Kind)?> ValidateDatasetAsync(string? nameOrId, Algorithm? algorithm, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            errors.Add("dataset", "required: a dataset name or id");
            return null;
        }
        if (await references.FindDatasetAsync(nameOrId.Trim(), cancellationToken) is not { } found)
        {
            errors.Add("dataset", $"dataset '{nameOrId}' does not exist");
            return null;
        }
        if (algorithm is { } a && !a.DataKinds().Contains(found.Kind))
        {
            var needs = a.UsesPreferences() ? "preferences (prompt + chosen + rejected per line)" : "prompts (prompt + reference per line) or tasks (env + task per line)";
            errors.Add("dataset", $"dataset '{found.Name}' holds {Kind(found.Kind)}, but {WireName.Of(a)} trains on {needs}");
            return null;
        }
        return (found.Id, found.VersionId, found.Kind);
    }

    private async Task<BaseModelSpec?> ValidateBaseAsync(BaseModelSpec? spec, string queue, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var given = spec is null ? 0
            : (spec.Preset is not null ? 1 : 0) + (spec.CheckpointId is not null ? 1 : 0) + (spec.RunId is not null ? 1 : 0) + (spec.ModelPath is not null ? 1 : 0);
        if (spec is null || given != 1)
        {
            errors.Add("base", $"exactly one of preset, checkpointId, runId or modelPath is required (got {given})");
            return null;
        }
        if (spec.ModelPath is { } path)
        {
            // The folder lives on the worker nodes: its contents are checked when a worker loads it.
            var roots = IsQueueName(queue) ? await references.ModelRootsForQueueAsync(queue, cancellationToken) : [];
            if (WorkerFolder.Problem(path, queue, roots) is { } problem)
            {
                errors.Add("base.modelPath", problem);
                return null;
            }
            return spec with { ModelPath = ModelRoots.Normalize(path) };
        }
        if (spec.Preset is { } preset && !BaseModelSpec.Presets.Contains(preset))
        {
            errors.Add("base.preset", $"unknown preset '{preset}'; expected one of {string.Join(", ", BaseModelSpec.Presets)}");
            return null;
        }
        if (spec.CheckpointId is { } checkpointId && !await references.CheckpointExistsAsync(checkpointId, cancellationToken))
        {
            errors.Add("base.checkpointId", $"checkpoint {checkpointId} does not exist");
            return null;
        }
        if (spec.RunId is { } runId && !await references.RunExistsAsync(runId, cancellationToken))
        {
            errors.Add("base.runId", $"run {runId} does not exist");
            return null;
        }
        return spec;
    }

    private static string Kind(DatasetKind kind) => WireName.Of(kind);

    /// <summary>A valid Hangfire queue name.</summary>
    public static bool IsQueueName(string queue) => QueueName().IsMatch(queue);

    [GeneratedRegex("^[a-z0-9_-]{1,50}$")]
    private static partial Regex QueueName();
}
