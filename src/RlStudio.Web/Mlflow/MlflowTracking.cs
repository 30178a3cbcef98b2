using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Mlflow;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;
using RlStudio.Data.Tracking;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// MLflow's tracking model on RL Studio's: an MLflow experiment is an RL Studio experiment (same name; id <c>"0"</c> is
/// the one named <c>Default</c>), an MLflow run is an external run (<see cref="Algorithm.External"/>) whose metrics are
/// ordinary metric points (pushed live like a worker's), params its configuration and tags its MLflow tags. Native runs
/// can be read (get, search, history) but not written. Errors are <see cref="MlflowException"/>.
/// </summary>
public sealed class MlflowTracking(RlStudioDbContext db, MetricWriter metricWriter, RunNotifier notifier, AuditLog audit, Alarms.AlarmMonitor alarms)
{
    public const string DefaultExperimentName = "Default";
    public const string RunNameTag = "mlflow.runName";
    public const string UserTag = "mlflow.user";

    // ---- experiments ----

    public async Task<string> CreateExperimentAsync(MlflowCreateExperiment request, Caller caller, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) throw MlflowException.Invalid("Missing value for required parameter 'name'.");
        if (name.Length > 200) throw MlflowException.Invalid("Experiment name must be at most 200 characters.");
        if (await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Name == name, cancellationToken) is { } existing)
            throw MlflowException.AlreadyExists($"Experiment '{name}' already exists{(existing.DeletedAt is null ? "" : " in deleted state")}.");
        var tags = MlflowInput.Tags(request.Tags, "tags");
        var id = await db.EnsureExperimentAsync(name, cancellationToken);
        if (tags.Count > 0) await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Tags, tags), cancellationToken);
        await audit.RecordAsync(caller, "experiment.create", "experiment", id, after: new { Name = name, Via = "mlflow" }, cancellationToken: cancellationToken);
        return Id(id);
    }

    public async Task<MlflowExperiment> GetExperimentAsync(string? experimentId, CancellationToken cancellationToken) =>
        ToMlflow(await FindExperimentAsync(experimentId, cancellationToken));

    public async Task<MlflowExperiment> GetExperimentByNameAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name)) throw MlflowException.Invalid("Missing value for required parameter 'experiment_name'.");
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Name == name, cancellationToken)
                         ?? throw MlflowException.NotFound($"Could not find experiment with name '{name}'");
        return ToMlflow(experiment);
    }

    public async Task<(List<MlflowExperiment> Experiments, string? NextPageToken)> SearchExperimentsAsync(MlflowSearchExperiments request,
        CancellationToken cancellationToken)
    {
        var filter = MlflowFilter.Parse(request.Filter);
        var view = ViewType(request.ViewType);
        var all = await db.Experiments.AsNoTracking().ToListAsync(cancellationToken);
        var matching = all
            .Where(e => view switch { "ACTIVE_ONLY" => e.DeletedAt is null, "DELETED_ONLY" => e.DeletedAt is not null, _ => true })
            .Where(e => filter.Matches((kind, key) => kind switch
            {
                MlflowFilter.Kind.Tag => (e.Tags.GetValueOrDefault(key), null),
                MlflowFilter.Kind.Attribute => key switch
                {
                    "name" => (e.Name, null),
                    "creation_time" or "last_update_time" => (null, Millis(e.CreatedAt)),
                    _ => throw MlflowException.Invalid($"Invalid attribute key '{key}' for experiments; use name, creation_time or last_update_time."),
                },
                _ => throw MlflowException.Invalid("Experiments are filtered by attributes and tags only."),
            }))
            .ToList();
        var ordered = MlflowSearch.Order(matching, request.OrderBy, e => e.Id, (e, key) => key switch
        {
            "name" => (e.Name, null),
            "experiment_id" => (null, e.Id),
            "creation_time" or "last_update_time" => (null, Millis(e.CreatedAt)),
            _ => throw MlflowException.Invalid($"Invalid order_by key '{key}' for experiments."),
        }, defaultKey: "creation_time");
        var (page, next) = MlflowSearch.Page(ordered, request.PageToken, request.MaxResults);
        return (page.Select(ToMlflow).ToList(), next);
    }

    public async Task UpdateExperimentAsync(MlflowUpdateExperiment request, Caller caller, CancellationToken cancellationToken)
    {
        var experiment = await FindExperimentAsync(request.ExperimentId, cancellationToken);
        var name = request.NewName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) throw MlflowException.Invalid("'new_name' is required: 1 to 200 characters.");
        if (name == experiment.Name) return;
        if (await db.Experiments.AnyAsync(e => e.Name == name, cancellationToken)) throw MlflowException.AlreadyExists($"Experiment '{name}' already exists.");
        await db.Experiments.Where(e => e.Id == experiment.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Name, name), cancellationToken);
        await audit.RecordAsync(caller, "experiment.rename", "experiment", experiment.Id, new { experiment.Name }, new { Name = name }, cancellationToken);
    }

    public async Task SetExperimentLifecycleAsync(string? experimentId, bool deleted, Caller caller, CancellationToken cancellationToken)
    {
        var experiment = await FindExperimentAsync(experimentId, cancellationToken);
        DateTimeOffset? at = deleted ? DateTimeOffset.UtcNow : null;
        await db.Experiments.Where(e => e.Id == experiment.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.DeletedAt, at), cancellationToken);
        await audit.RecordAsync(caller, deleted ? "experiment.delete" : "experiment.restore", "experiment", experiment.Id, cancellationToken: cancellationToken);
    }

    public async Task SetExperimentTagAsync(MlflowSetExperimentTag request, CancellationToken cancellationToken)
    {
        var experiment = await FindExperimentAsync(request.ExperimentId, cancellationToken);
        var tag = MlflowInput.Tags([new MlflowTag(request.Key, request.Value)], "tag");
        var tags = new Dictionary<string, string>(experiment.Tags);
        foreach (var (key, value) in tag) tags[key] = value;
        await db.Experiments.Where(e => e.Id == experiment.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Tags, tags), cancellationToken);
    }

    // ---- runs ----

    public async Task<MlflowRun> CreateRunAsync(MlflowCreateRun request, Caller caller, CancellationToken cancellationToken)
    {
        var experiment = await FindExperimentAsync(request.ExperimentId ?? "0", cancellationToken);
        if (experiment.DeletedAt is not null) throw MlflowException.Invalid($"The experiment {experiment.Id} must be in the 'active' state.");
        var tags = MlflowInput.Tags(request.Tags, "tags");
        var name = (request.RunName ?? tags.GetValueOrDefault(RunNameTag))?.Trim();
        if (string.IsNullOrEmpty(name)) name = $"{experiment.Name}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";
        if (name.Length > 200) throw MlflowException.Invalid("run_name must be at most 200 characters.");
        tags[RunNameTag] = name;
        if (!string.IsNullOrWhiteSpace(request.UserId)) tags[UserTag] = request.UserId;
        var started = request.StartTime is { } ms ? MlflowInput.FromMillis(ms, "start_time") : DateTimeOffset.UtcNow;
        var run = new Run
        {
            Name = name, ExperimentId = experiment.Id, Algorithm = Algorithm.External, Status = RunStatus.Running,
            Spec = RunSpec.External, DatasetId = null, Queue = ExternalQueue, CreatedAt = DateTimeOffset.UtcNow, StartedAt = started,
            CreatedById = caller.UserId, ExternalTags = tags,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, "run.create", "run", run.Id, after: new { run.Name, Experiment = experiment.Name, Algorithm = "external", Via = "mlflow" },
            cancellationToken: cancellationToken);
        await notifier.RunUpdatedAsync(db, run.Id, cancellationToken);
        return await GetRunAsync(Id(run.Id), cancellationToken);
    }

    public async Task<MlflowRun> GetRunAsync(string? runId, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(runId, cancellationToken);
        var views = await ViewsAsync([run], cancellationToken);
        return ToMlflow(views[0]);
    }

    public async Task<MlflowRunInfo> UpdateRunAsync(MlflowUpdateRun request, Caller caller, CancellationToken cancellationToken)
    {
        var run = await WritableRunAsync(request.RunId ?? request.RunUuid, caller, cancellationToken);
        RunStatus? status = request.Status is null ? null : MlflowStatus.FromMlflow(request.Status);
        DateTimeOffset? ended = request.EndTime is { } ms ? MlflowInput.FromMillis(ms, "end_time") : null;
        var name = request.RunName?.Trim();
        if (name is { Length: 0 or > 200 }) throw MlflowException.Invalid("run_name must be 1 to 200 characters.");
        var before = new { run.Status, run.Name };
        if (status is { } s)
        {
            run.Status = s;
            run.FinishedAt = s.IsTerminal() ? ended ?? run.FinishedAt ?? DateTimeOffset.UtcNow : null;
        }
        else if (ended is not null)
        {
            run.FinishedAt = ended;
        }
        if (name is not null)
        {
            run.Name = name;
            run.ExternalTags = new Dictionary<string, string>(run.ExternalTags) { [RunNameTag] = name };
        }
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(caller, "run.update", "run", run.Id, before, new { run.Status, run.Name, Via = "mlflow" }, cancellationToken);
        await notifier.RunUpdatedAsync(db, run.Id, cancellationToken);
        return (await GetRunAsync(Id(run.Id), cancellationToken)).Info;
    }

    public async Task<(List<MlflowRun> Runs, string? NextPageToken)> SearchRunsAsync(MlflowSearchRuns request, CancellationToken cancellationToken)
    {
        var filter = MlflowFilter.Parse(request.Filter);
        var view = ViewType(request.RunViewType);
        var experimentIds = new List<long>();
        foreach (var id in request.ExperimentIds ?? []) experimentIds.Add((await FindExperimentAsync(id, cancellationToken)).Id);
        if (view == "DELETED_ONLY") return ([], null); // deleting a run removes it: there are no deleted runs to list
        var runs = await db.Runs.AsNoTracking().Include(r => r.Experiment).Where(r => experimentIds.Contains(r.ExperimentId)).ToListAsync(cancellationToken);
        var views = await ViewsAsync(runs, cancellationToken);
        var matching = views.Where(v => filter.Matches((kind, key) => Lookup(v, kind, key))).ToList();
        var ordered = MlflowSearch.Order(matching, request.OrderBy, v => -v.Run.Id, (v, key) => Lookup(v, MlflowSearch.AttributeOrKind(ref key), key), defaultKey: "start_time DESC");
        var (page, next) = MlflowSearch.Page(ordered, request.PageToken, request.MaxResults);
        return (page.Select(ToMlflow).ToList(), next);
    }

    public async Task LogBatchAsync(string? runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<MlflowParam> parameters, IReadOnlyList<MlflowTag> tags,
        Caller caller, CancellationToken cancellationToken)
    {
        if (metrics.Count > MlflowLimits.MaxMetricsPerBatch)
            throw MlflowException.Invalid($"A batch logging request can contain at most {MlflowLimits.MaxMetricsPerBatch} metrics. Got {metrics.Count} metrics.");
        if (parameters.Count > MlflowLimits.MaxParamsPerBatch)
            throw MlflowException.Invalid($"A batch logging request can contain at most {MlflowLimits.MaxParamsPerBatch} params. Got {parameters.Count} params.");
        if (tags.Count > MlflowLimits.MaxTagsPerBatch)
            throw MlflowException.Invalid($"A batch logging request can contain at most {MlflowLimits.MaxTagsPerBatch} tags. Got {tags.Count} tags.");
        var total = metrics.Count + parameters.Count + tags.Count;
        if (total > MlflowLimits.MaxEntitiesPerBatch)
            throw MlflowException.Invalid($"A batch logging request can contain at most {MlflowLimits.MaxEntitiesPerBatch} total metrics, params and tags. Got {total}.");
        var points = metrics.Select((m, i) => MlflowInput.Point(m, $"metrics[{i}]")).ToList();
        var paramValues = MlflowInput.Params(parameters);
        var tagValues = MlflowInput.Tags(tags, "tags");
        var run = await WritableRunAsync(runId, caller, cancellationToken);

        var changed = paramValues.Where(p => run.Params.TryGetValue(p.Key, out var old) && old != p.Value).ToList();
        if (changed.Count > 0)
        {
            var (key, value) = changed[0];
            throw MlflowException.Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with value='{run.Params[key]}' " +
                                          $"for run ID='{run.Id}'. Attempted logging new value '{value}'.");
        }
        await db.AddParamsAsync(run.Id, paramValues, cancellationToken);
        await db.SetTagsAsync(run.Id, tagValues, cancellationToken);
        if (tagValues.TryGetValue(RunNameTag, out var renamed) && renamed.Trim() is { Length: > 0 and <= 200 } newName)
        {
            await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Name, newName), cancellationToken);
        }
        var finite = points.Where(p => double.IsFinite(p.Point.Value)).ToList();
        if (finite.Count > 0)
        {
            var written = await metricWriter.WriteAsync(run.Id, finite, cancellationToken);
            await db.RaiseStepAsync(run.Id, written.Max(p => p.Step), cancellationToken);
            await notifier.MetricsAppendedAsync(run.Id, written);
            alarms.MetricsWritten(run.Id, written);
        }
        if (finite.Count > 0 || tagValues.ContainsKey(RunNameTag)) await notifier.RunUpdatedAsync(db, run.Id, cancellationToken);
    }

    public async Task DeleteTagAsync(MlflowDeleteTag request, Caller caller, CancellationToken cancellationToken)
    {
        var run = await WritableRunAsync(request.RunId, caller, cancellationToken);
        if (string.IsNullOrEmpty(request.Key)) throw MlflowException.Invalid("Missing value for required parameter 'key'.");
        if (!await db.DeleteTagAsync(run.Id, request.Key, cancellationToken))
            throw MlflowException.NotFound($"No tag with name: {request.Key} in run with id {run.Id}");
    }

    /// <summary>A metric's points in step order, paged (the token is the next step to read).</summary>
    public async Task<(List<MlflowMetric> Metrics, string? NextPageToken)> GetHistoryAsync(string? runId, string? key, string? pageToken, int? maxResults,
        CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(runId, cancellationToken);
        if (string.IsNullOrEmpty(key)) throw MlflowException.Invalid("Missing value for required parameter 'metric_key'.");
        var limit = maxResults ?? MlflowLimits.DefaultHistoryResults;
        if (limit is < 1 or > MlflowLimits.DefaultHistoryResults) throw MlflowException.Invalid($"max_results must be in 1..{MlflowLimits.DefaultHistoryResults}.");
        var from = pageToken is null ? int.MinValue : MlflowSearch.DecodeToken(pageToken);
        var points = await db.MetricPoints.AsNoTracking()
            .Where(m => m.RunId == run.Id && m.Key == key && m.Step >= from)
            .OrderBy(m => m.Step).Take(limit + 1)
            .Select(m => new { m.Step, m.Value, m.Time }).ToListAsync(cancellationToken);
        var next = points.Count > limit ? MlflowSearch.EncodeToken(points[limit].Step) : null;
        return (points.Take(limit).Select(p => new MlflowMetric(key, p.Value, Millis(p.Time), p.Step)).ToList(), next);
    }

    /// <summary>
    /// A metric of several runs between two steps, at most <paramref name="maxResults"/> points per run, spread evenly over
    /// the run's steps in the interval (its first and last kept): what MLflow's chart view asks for.
    /// </summary>
    public async Task<List<MlflowRunMetric>> GetHistoryBulkIntervalAsync(IReadOnlyList<string> runIds, string? key, long? startStep, long? endStep, int? maxResults,
        CancellationToken cancellationToken)
    {
        if (runIds.Count is 0 or > MlflowLimits.MaxIntervalRuns) throw MlflowException.Invalid($"run_ids must name 1 to {MlflowLimits.MaxIntervalRuns} runs.");
        if (string.IsNullOrEmpty(key)) throw MlflowException.Invalid("Missing value for required parameter 'metric_key'.");
        var limit = maxResults ?? MlflowLimits.DefaultIntervalResults;
        if (limit is < 1 or > MlflowLimits.MaxIntervalResults) throw MlflowException.Invalid($"max_results must be in 1..{MlflowLimits.MaxIntervalResults}.");
        if (startStep is { } s && endStep is { } e && s > e) throw MlflowException.Invalid("start_step must not be after end_step.");
        var (from, to) = ((int)Math.Clamp(startStep ?? 0, 0, int.MaxValue), (int)Math.Clamp(endStep ?? int.MaxValue, 0, int.MaxValue));
        var result = new List<MlflowRunMetric>();
        foreach (var runId in runIds.Distinct())
        {
            var run = await FindRunAsync(runId, cancellationToken);
            var points = await db.MetricPoints.AsNoTracking()
                .Where(m => m.RunId == run.Id && m.Key == key && m.Step >= from && m.Step <= to)
                .OrderBy(m => m.Step).Select(m => new { m.Step, m.Value, m.Time }).ToListAsync(cancellationToken);
            var kept = points.Count <= limit ? points
                : Enumerable.Range(0, limit).Select(i => points[(int)Math.Round(i * (points.Count - 1) / (double)(limit - 1))]).Distinct().ToList();
            result.AddRange(kept.Select(p => new MlflowRunMetric(key, p.Value, Millis(p.Time), p.Step, Id(run.Id))));
        }
        return result;
    }

    // ---- mapping ----

    /// <summary>The queue column of an external run (no worker of RL Studio takes it).</summary>
    public const string ExternalQueue = "external";

    private sealed record RunView(Run Run, string Experiment, Dictionary<string, (double Value, int Step, DateTimeOffset Time)> Metrics, string? User);

    private async Task<List<RunView>> ViewsAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var latest = await db.LatestMetrics.AsNoTracking().Where(m => ids.Contains(m.RunId))
            .Join(db.MetricPoints.AsNoTracking(), l => new { l.RunId, l.Key, l.Step }, p => new { p.RunId, p.Key, p.Step },
                (l, p) => new { l.RunId, l.Key, l.Step, l.Value, p.Time })
            .ToListAsync(cancellationToken);
        var creators = runs.Select(r => r.CreatedById).OfType<long>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => creators.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);
        var experiments = runs.Select(r => r.ExperimentId).Distinct().ToList();
        var experimentNames = await db.Experiments.AsNoTracking().Where(e => experiments.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        return runs.Select(r => new RunView(r, experimentNames[r.ExperimentId],
            latest.Where(m => m.RunId == r.Id).ToDictionary(m => m.Key, m => (m.Value, m.Step, m.Time)),
            r.ExternalTags.GetValueOrDefault(UserTag) ?? (r.CreatedById is { } c ? names.GetValueOrDefault(c) : null))).ToList();
    }

    private static MlflowRun ToMlflow(RunView view)
    {
        var run = view.Run;
        var info = new MlflowRunInfo(Id(run.Id), Id(run.Id), run.Name, Id(run.ExperimentId), view.User ?? "", MlflowStatus.ToMlflow(run.Status),
            Millis(run.StartedAt ?? run.CreatedAt), run.FinishedAt is { } f ? Millis(f) : null, $"mlflow-artifacts:/{run.ExperimentId}/{run.Id}/artifacts", "active");
        var tags = new Dictionary<string, string>(run.ExternalTags) { [RunNameTag] = run.Name };
        var data = new MlflowRunData(
            view.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MlflowMetric(m.Key, m.Value.Value, Millis(m.Value.Time), m.Value.Step)).ToList(),
            run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new MlflowParam(p.Key, p.Value)).ToList(),
            tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new MlflowTag(t.Key, t.Value)).ToList());
        return new MlflowRun(info, data, new MlflowRunInputs());
    }

    private static (string? Text, double? Number) Lookup(RunView view, MlflowFilter.Kind kind, string key) => kind switch
    {
        MlflowFilter.Kind.Metric => (null, view.Metrics.TryGetValue(key, out var m) ? m.Value : null),
        MlflowFilter.Kind.Param => (view.Run.Params.GetValueOrDefault(key), null),
        MlflowFilter.Kind.Tag => (key == RunNameTag ? view.Run.Name : view.Run.ExternalTags.GetValueOrDefault(key), null),
        _ => key switch
        {
            "run_name" => (view.Run.Name, null),
            "status" => (MlflowStatus.ToMlflow(view.Run.Status), null),
            "run_id" or "run_uuid" => (Id(view.Run.Id), null),
            "user_id" => (view.User, null),
            "artifact_uri" => ($"mlflow-artifacts:/{view.Run.ExperimentId}/{view.Run.Id}/artifacts", null),
            "start_time" => (null, Millis(view.Run.StartedAt ?? view.Run.CreatedAt)),
            "end_time" => (null, view.Run.FinishedAt is { } f ? Millis(f) : null),
            _ => throw MlflowException.Invalid($"Invalid attribute key '{key}' specified. Valid keys are run_name, status, run_id, user_id, start_time, end_time."),
        },
    };

    private static string ViewType(string? view) => (view ?? "ACTIVE_ONLY").ToUpperInvariant() switch
    {
        "ACTIVE_ONLY" or "1" => "ACTIVE_ONLY",
        "DELETED_ONLY" or "2" => "DELETED_ONLY",
        "ALL" or "3" => "ALL",
        _ => throw MlflowException.Invalid($"Invalid view type '{view}': ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };

    private static MlflowExperiment ToMlflow(Experiment e) => new(Id(e.Id), e.Name, $"mlflow-artifacts:/{e.Id}", e.DeletedAt is null ? "active" : "deleted",
        Millis(e.DeletedAt ?? e.CreatedAt), Millis(e.CreatedAt), e.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new MlflowTag(t.Key, t.Value)).ToList());

    private async Task<Experiment> FindExperimentAsync(string? experimentId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(experimentId)) throw MlflowException.Invalid("Missing value for required parameter 'experiment_id'.");
        if (experimentId == "0")
        {
            var id = await db.EnsureExperimentAsync(DefaultExperimentName, cancellationToken);
            return await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == id, cancellationToken);
        }
        if (!long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
        return await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == parsed, cancellationToken)
               ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
    }

    private async Task<Run> FindRunAsync(string? runId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(runId)) throw MlflowException.Invalid("Missing value for required parameter 'run_id'.");
        if (!long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw MlflowException.NotFound($"Run with id={runId} not found");
        return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
               ?? throw MlflowException.NotFound($"Run with id={runId} not found");
    }

    /// <summary>A run the caller may write to: an external one, theirs (or an Admin's say), not finished long ago.</summary>
    public async Task<Run> WritableRunAsync(string? runId, Caller caller, CancellationToken cancellationToken)
    {
        var found = await FindRunAsync(runId, cancellationToken);
        RunScopedAccess.CheckRun(caller, found.Id);
        if (found.Algorithm != Algorithm.External)
            throw MlflowException.Invalid($"Run {found.Id} is trained by RL Studio ({Contracts.Json.WireName.Of(found.Algorithm)}); only external runs take values through this API.");
        if (!caller.MayManage(found.CreatedById))
            throw MlflowException.Forbidden($"Run {found.Id} belongs to another account; only its creator or an Admin writes to it.");
        return await db.Runs.SingleAsync(r => r.Id == found.Id, cancellationToken);
    }

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
