using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;
using RlStudio.Data;
using RlStudio.Data.Queries;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary><c>/api/runs</c>: create, list, read, edit (name, notes, tags), cancel, resume, delete, and a run's metrics, rollouts and checkpoints.</summary>
public static class RunsApi
{
    public const int DefaultMaxPoints = 1000;

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs");
        api.MapPost("/", CreateRun);
        api.MapPost("/validate", ValidateRun);
        api.MapGet("/", ListRuns);
        api.MapGet("/{id:long}", GetRun);
        api.MapPatch("/{id:long}", UpdateRun);
        api.MapPost("/{id:long}/cancel", CancelRun);
        api.MapPost("/{id:long}/resume", ResumeRun);
        api.MapRunSteeringApi();
        api.MapRunBulkApi();
        api.MapRunLineageApi();
        api.MapRunEventsApi();
        api.MapMetricKeysApi();
        api.MapDelete("/{id:long}", DeleteRun);
        api.MapGet("/{id:long}/metrics", GetMetrics);
        api.MapGet("/metrics", GetRunsMetrics);
        api.MapGet("/{id:long}/metrics/history", GetMetricHistoryPage);
        api.MapGet("/{id:long}/metrics.csv", GetMetricsCsv);
        api.MapGet("/{id:long}/rollouts", GetRollouts);
        api.MapGet("/{id:long}/rollouts/steps", GetRolloutSteps);
        api.MapGet("/{id:long}/checkpoints", ListCheckpoints);
        api.MapGet("/{id:long}/alarms", ListAlarms);
        return app;
    }

    public static async Task<Results<Created<RunDto>, ValidationProblem>> CreateRun(
        CreateRunRequest request, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (validated, errors) = await services.Validator.ValidateAsync(request, cancellationToken);
        if (validated is null)
        {
            return Problems.Invalid(errors);
        }
        var caller = Caller.From(user);
        var runId = await services.Commands.CreateAsync(validated, caller.UserId, cancellationToken);
        await services.Notifier.RunUpdatedAsync(services.Db, runId, cancellationToken);
        var run = await services.Db.GetRunAsync(runId, cancellationToken);
        await services.Audit.RecordAsync(caller, "run.create", "run", runId,
            after: new { run!.Name, run.Experiment, Algorithm = run.Algorithm, run.DatasetName, run.Queue, run.Priority }, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/runs/{runId}", run);
    }

    /// <summary>Validates a run spec and estimates its memory against the online workers, storing and queueing nothing.</summary>
    public static async Task<Ok<RunValidationDto>> ValidateRun(CreateRunRequest request, RunPreflight preflight, CancellationToken cancellationToken) =>
        TypedResults.Ok(await preflight.CheckAsync(request, cancellationToken));

    /// <summary>The header that carries how many runs match the filters (the body stays a JSON array of the page's runs).</summary>
    public const string TotalCountHeader = "X-Total-Count";

    /// <summary>A page of runs (<see cref="RunListParameters"/>: filters, order, window); the total that match in <see cref="TotalCountHeader"/>.</summary>
    public static async Task<Results<Ok<List<RunDto>>, ValidationProblem>> ListRuns(
        [AsParameters] RunListParameters query, RlStudioDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var page = await ListRunsPage(query, db, cancellationToken);
        if (page.Result is not Ok<RunListPage> { Value: { } runs })
        {
            return (ValidationProblem)page.Result;
        }
        response.Headers[TotalCountHeader] = runs.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(runs.Runs);
    }

    /// <summary>The runs and total of <see cref="ListRuns"/> as one value (what the pages read in-process).</summary>
    public static async Task<Results<Ok<RunListPage>, ValidationProblem>> ListRunsPage(
        RunListParameters query, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (query.Validate(errors) is not { } options)
        {
            return Problems.Invalid(errors);
        }
        return TypedResults.Ok(await db.ListRunsAsync(options, cancellationToken));
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.GetRunAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run {id} does not exist.");

    /// <summary>Renames a run or sets its notes or tags (any status); members left null stay as they are.</summary>
    public static async Task<Results<Ok<RunDto>, ProblemHttpResult, ValidationProblem>> UpdateRun(
        long id, UpdateRunRequest request, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name is null ? null : RunRequestValidator.ValidateName(request.Name, errors);
        var notes = RunLabels.Notes(request.Notes, errors);
        var tags = request.Tags is null ? null : RunLabels.Tags(request.Tags, errors);
        var queue = request.Queue?.Trim();
        if (queue is not null && !RunRequestValidator.IsQueueName(queue))
        {
            errors.Add("queue", "1–50 lowercase letters, digits, '_' or '-' (a Hangfire queue name)");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (await services.Db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Status, r.Queue, r.Priority }).SingleOrDefaultAsync(cancellationToken)
            is not { } current)
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        if ((queue is not null || request.Priority is not null) && !await services.Commands.MoveAsync(id, queue, request.Priority, cancellationToken))
        {
            return Problems.Conflict($"Only a queued run can change queue or priority; run {id} is {current.Status}.");
        }
        var before = await services.Db.UpdateLabelsAsync(id, name, request.Notes is not null, notes, tags, cancellationToken);
        if (before is null)
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        await services.Notifier.RunUpdatedAsync(services.Db, id, cancellationToken);
        var after = (await services.Db.GetRunAsync(id, cancellationToken))!;
        await services.Audit.RecordAsync(Caller.From(user), "run.update", "run", id, new { before, current.Queue, current.Priority },
            new { after.Name, after.Notes, after.Tags, after.Queue, after.Priority }, cancellationToken);
        return TypedResults.Ok(after);
    }

    /// <summary>The run's alarms (<see cref="AlarmKinds"/>), in the order they were raised.</summary>
    public static async Task<Results<Ok<List<AlarmDto>>, ProblemHttpResult>> ListAlarms(long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)
            ? TypedResults.Ok(await db.AlarmsAsync(id, cancellationToken))
            : Problems.NotFound($"Run {id} does not exist.");

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> CancelRun(
        long id, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await services.Commands.CancelAsync(id, cancellationToken);
        var run = await services.Db.GetRunAsync(id, cancellationToken);
        switch (outcome)
        {
            case CancelOutcome.NotFound:
                return Problems.NotFound($"Run {id} does not exist.");
            case CancelOutcome.Terminal:
                return Problems.Conflict($"Run {id} is {run?.Status}; a finished run cannot be cancelled.");
            case CancelOutcome.External:
                return Problems.Conflict($"Run {id} is an external run: its trainer ends it (MLflow runs/update with status KILLED).");
            case CancelOutcome.Changed:
                await services.Notifier.RunUpdatedAsync(services.Db, id, cancellationToken);
                await services.Audit.RecordAsync(Caller.From(user), "run.cancel", "run", id, after: new { Status = run?.Status }, cancellationToken: cancellationToken);
                break;
            case CancelOutcome.Unchanged:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null);
        }
        return TypedResults.Ok(run!);
    }

    /// <summary>
    /// Queues a Failed, Cancelled or Paused run again; it continues from its newest checkpoint, with the settings of
    /// <paramref name="request"/> changed first (e.g. a lower learning rate after a divergence). 409 for any other status.
    /// </summary>
    public static async Task<Results<Ok<RunDto>, ProblemHttpResult, ValidationProblem>> ResumeRun(
        long id, ResumeRunRequest? request, [AsParameters] RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var changed = request?.Settings is { Count: > 0 } overrides ? overrides : null;
        if (changed is not null)
        {
            var algorithm = await services.Db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => (Algorithm?)r.Algorithm).SingleOrDefaultAsync(cancellationToken);
            if (algorithm is null) return Problems.NotFound($"Run {id} does not exist.");
            var latest = (await services.Db.LatestSpecAsync(id, cancellationToken))!;
            var errors = new ValidationErrors();
            RunSettingsValidator.ValidateOverrides(latest.Settings, changed, algorithm.Value, errors);
            if (!errors.IsEmpty) return Problems.Invalid(errors);
        }
        var caller = Caller.From(user);
        if (await services.Commands.ResumeAsync(id, cancellationToken, changed, caller))
        {
            await services.Notifier.RunUpdatedAsync(services.Db, id, cancellationToken);
            await services.Audit.RecordAsync(caller, "run.resume", "run", id, after: changed is null ? null : new { Settings = changed },
                cancellationToken: cancellationToken);
            return TypedResults.Ok((await services.Db.GetRunAsync(id, cancellationToken))!);
        }
        return await services.Db.GetRunAsync(id, cancellationToken) is { } run
            ? Problems.Conflict(run.Algorithm.IsNative()
                ? $"Run {id} is {run.Status}; only a Failed, Cancelled or Paused run can be resumed."
                : $"Run {id} is an external run: RL Studio cannot resume what it did not train.")
            : Problems.NotFound($"Run {id} does not exist.");
    }

    /// <summary>Deletes a finished run and all it owns (<see cref="RunDeletion"/>); 204, or 404/409 saying why not.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteRun(
        long id, RunDeletion deletion, RunNotifier notifier, AuditLog audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var outcome = await deletion.DeleteAsync(id, caller, cancellationToken);
        if (outcome.Kind != OutcomeKind.Ok)
        {
            return Problems.Failure<NoContent, long>(outcome);
        }
        await notifier.RunDeletedAsync(id);
        await audit.RecordAsync(caller, "run.delete", "run", id, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The run's metric histories (or those of <paramref name="keys"/>), over the steps [<paramref name="from"/>, <paramref name="to"/>]
    /// (default: all), each at most <paramref name="maxPoints"/> long: point by point when the range is that short, else
    /// buckets with their min and max (<see cref="MetricHistory"/>).
    /// </summary>
    public static async Task<Results<Ok<MetricsResponse>, ProblemHttpResult, ValidationProblem>> GetMetrics(
        long id, string? keys, int? maxPoints, int? from, int? to, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (HistoryErrors(maxPoints, from, to) is { } invalid)
        {
            return invalid;
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        return TypedResults.Ok(await db.ReadSeriesAsync(id, MetricKeyList(keys), maxPoints ?? DefaultMaxPoints, cancellationToken, from, to));
    }

    /// <summary>Runs compared: the histories of <paramref name="ids"/> (comma-separated, at most 50) on one set of step buckets.</summary>
    public static async Task<Results<Ok<RunsMetricsResponse>, ProblemHttpResult, ValidationProblem>> GetRunsMetrics(
        string? ids, string? keys, int? maxPoints, int? from, int? to, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var runIds = new List<long>();
        foreach (var part in (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var runId)) return Problems.Invalid("ids", $"'{part}' is not a run id");
            if (!runIds.Contains(runId)) runIds.Add(runId);
        }
        if (runIds.Count is 0 or > MaxComparedRuns)
        {
            return Problems.Invalid("ids", $"required: 1 to {MaxComparedRuns} comma-separated run ids");
        }
        if (HistoryErrors(maxPoints, from, to) is { } invalid)
        {
            return invalid;
        }
        var found = await db.Runs.Where(r => runIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        if (runIds.Except(found).ToList() is { Count: > 0 } missing)
        {
            return Problems.NotFound($"{RunIdList.Describe(missing)} {(missing.Count == 1 ? "does" : "do")} not exist.");
        }
        var series = await MetricHistory.ReadAsync(db, runIds, MetricKeyList(keys), from, to, maxPoints ?? DefaultMaxPoints, cancellationToken);
        return TypedResults.Ok(new RunsMetricsResponse(runIds
            .Select(runId => new RunMetrics(runId, series.Where(s => s.RunId == runId).Select(s => s.Series).ToList()))
            .ToList()));
    }

    /// <summary>One page of a metric's full history, in step order: up to <paramref name="limit"/> points after <paramref name="afterStep"/>.</summary>
    public static async Task<Results<Ok<MetricHistoryPage>, ProblemHttpResult, ValidationProblem>> GetMetricHistoryPage(
        long id, string? key, int? afterStep, int? limit, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(key)) errors.Add("key", "required");
        if (limit is < 1 or > MaxHistoryPage) errors.Add("limit", $"must be between 1 and {MaxHistoryPage}");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        var size = limit ?? MaxHistoryPage;
        var points = await db.MetricPoints.AsNoTracking()
            .Where(m => m.RunId == id && m.Key == key && m.Step > (afterStep ?? -1))
            .OrderBy(m => m.Step).Take(size + 1)
            .Select(m => new SeriesPoint(m.Step, m.Value, null, null))
            .ToListAsync(cancellationToken);
        var more = points.Count > size;
        if (more) points.RemoveAt(size);
        return TypedResults.Ok(new MetricHistoryPage(key!, points, more ? points[^1].Step : null));
    }

    private const int MaxComparedRuns = 50;
    private const int MaxHistoryPage = 10_000;

    /// <summary>The history parameters' problems: maxPoints in 1..100000, from and to ≥ 0 with from ≤ to.</summary>
    private static ValidationProblem? HistoryErrors(int? maxPoints, int? from, int? to)
    {
        var errors = new ValidationErrors();
        if (maxPoints is < 1 or > 100_000) errors.Add("maxPoints", "must be between 1 and 100000");
        if (from is < 0) errors.Add("from", "must be ≥ 0");
        if (to is < 0) errors.Add("to", "must be ≥ 0");
        if (from > to) errors.Add("to", "must be ≥ from");
        return errors.IsEmpty ? null : Problems.Invalid(errors);
    }

    /// <summary>
    /// Every point of the run's metrics (or of <paramref name="keys"/>) as a wide CSV download (<see cref="MetricsCsvWriter"/>),
    /// streamed, not downsampled.
    /// </summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetMetricsCsv(
        long id, string? keys, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        var wanted = MetricKeyList(keys);
        var columns = wanted is { Length: > 0 } ? wanted.Distinct(StringComparer.Ordinal).ToList() : await db.MetricKeysAsync(id, cancellationToken);
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
            await MetricsCsvWriter.WriteAsync(writer, columns, db.StreamPointsAsync(id, columns), cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }, "text/csv; charset=utf-8", $"run{id}-metrics.csv");
    }

    /// <summary>The <c>keys</c> query parameter: comma-separated metric keys (null when absent).</summary>
    private static string[]? MetricKeyList(string? keys) => keys?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The newest samples matching <paramref name="query"/> (<see cref="RolloutQuery"/>: step or step range, reward range, words).</summary>
    public static async Task<Results<Ok<List<RolloutDto>>, ProblemHttpResult, ValidationProblem>> GetRollouts(
        long id, [AsParameters] RolloutQuery query, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (query.Limit is < 1 or > RolloutQuery.MaxLimit) errors.Add("limit", $"must be between 1 and {RolloutQuery.MaxLimit}");
        if (query.Step is < 0) errors.Add("step", "must be ≥ 0");
        if (query.FromStep is < 0) errors.Add("fromStep", "must be ≥ 0");
        if (query.FromStep > query.ToStep) errors.Add("toStep", "must be ≥ fromStep");
        if (query.MinReward > query.MaxReward) errors.Add("maxReward", "must be ≥ minReward");
        if (query.MinReward is { } min && !double.IsFinite(min)) errors.Add("minReward", "must be a finite number");
        if (query.MaxReward is { } max && !double.IsFinite(max)) errors.Add("maxReward", "must be a finite number");
        if (query.Q is { Length: > RolloutQuery.MaxQueryLength }) errors.Add("q", $"at most {RolloutQuery.MaxQueryLength} characters");
        if (query.Function is { } function && (string.IsNullOrWhiteSpace(function) || function.Length > RolloutQuery.MaxQueryLength))
            errors.Add("function", $"a reward function's name, at most {RolloutQuery.MaxQueryLength} characters");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        return TypedResults.Ok(await db.ReadRolloutsAsync(id, query, query.Limit ?? 50, cancellationToken));
    }

    /// <summary>The steps that have rollout samples, ascending (to browse them step by step).</summary>
    public static async Task<Results<Ok<List<int>>, ProblemHttpResult>> GetRolloutSteps(long id, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        return TypedResults.Ok(await db.RolloutStepsAsync(id, cancellationToken));
    }

    public static async Task<Results<Ok<List<CheckpointDto>>, ProblemHttpResult>> ListCheckpoints(
        long id, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        return TypedResults.Ok(await db.ListCheckpointsAsync(id, cancellationToken));
    }
}

/// <summary>The services run endpoints share (bound with <c>[AsParameters]</c>).</summary>
public sealed record RunServices(RlStudioDbContext Db, RunRequestValidator Validator, RunCommands Commands, RunNotifier Notifier, AuditLog Audit);
