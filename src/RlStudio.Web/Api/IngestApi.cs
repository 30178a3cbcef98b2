using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Storage;
using Microsoft.Extensions.Options;
using RlStudio.Web.Labeling;
using RlStudio.Web.Limits;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>/api/ingest</c>: the worker's API (see <c>IngestContracts</c>), for worker keys only, each limited to what its node
/// claimed (<see cref="IngestAccess"/>). Writes are idempotent; state changes are guarded; stored deltas are pushed to
/// the run's SignalR group.
/// </summary>
public static class IngestApi
{
    /// <param name="checkpointBytes">The largest checkpoint upload (its own request size limit).</param>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app, long checkpointBytes)
    {
        var api = app.MapGroup("/api/ingest").WithTags("Ingest");
        api.MapPost("/workers/heartbeat", Heartbeat);
        api.MapPost("/runs/{id:long}/claim", ClaimRun);
        // What follows concerns a run the caller's node claimed (IngestAccess).
        var claimed = api.MapGroup("/runs/{id:long}").AddEndpointFilter(async (context, next) =>
        {
            var access = context.HttpContext.RequestServices.GetRequiredService<IngestAccess>();
            var id = long.Parse((string)context.HttpContext.GetRouteValue("id")!, System.Globalization.CultureInfo.InvariantCulture);
            return await access.RunAsync(context.HttpContext.User, id, context.HttpContext.RequestAborted) ?? await next(context);
        });
        claimed.MapPost("/progress", ReportProgress);
        claimed.MapPost("/status", ReportStatus);
        claimed.MapGet("/status", GetStatus);
        claimed.MapPost("/metrics", AppendMetrics);
        claimed.MapPost("/rollouts", AppendRollouts);
        claimed.MapPost("/settings/{changeId:long}", ReportSettingChange);
        claimed.MapPost("/checkpoints", UploadCheckpoint)
            .Accepts<Stream>("application/octet-stream")
            .WithMetadata(new RequestSizeLimitAttribute(checkpointBytes));
        api.MapGet("/datasets/versions/{id:long}/items", GetDatasetItems);
        api.MapGet("/checkpoints/{id:long}/content", GetCheckpointContent);
        api.MapPost("/exports/{id:long}/status", ReportExportStatus);
        api.MapPost("/batches/{id:long}/claim", ClaimBatch);
        api.MapPost("/batches/{id:long}/items", AddBatchItems);
        api.MapPost("/batches/{id:long}/status", ReportBatchStatus);
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Heartbeat(
        WorkerHeartbeat heartbeat, ClaimsPrincipal user, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(heartbeat.Name) || heartbeat.Name.Length > 200)
        {
            return Problems.Invalid("name", "required, at most 200 characters");
        }
        if (IngestAccess.SpeaksFor(user, heartbeat.Name) is { } denied)
        {
            return denied;
        }
        await db.UpsertHeartbeatAsync(heartbeat, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RunClaim>, ProblemHttpResult, ValidationProblem>> ClaimRun(
        long id, ClaimRunRequest request, ClaimsPrincipal user, RunLifecycle lifecycle, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Worker))
        {
            return Problems.Invalid("worker", "required");
        }
        if (IngestAccess.SpeaksFor(user, request.Worker) is { } denied)
        {
            return denied;
        }
        var outcome = await lifecycle.ClaimAsync(id, request.Worker, cancellationToken);
        return await ReplyAndNotifyAsync(outcome, id, notifier, db, cancellationToken);
    }

    public static async Task<Results<Ok<RunProgressReply>, ProblemHttpResult, ValidationProblem>> ReportProgress(
        long id, RunProgress progress, ClaimsPrincipal user, RunLifecycle lifecycle, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, progress.Worker) is { } denied)
        {
            return denied;
        }
        var outcome = await lifecycle.ProgressAsync(id, progress, cancellationToken);
        return await ReplyAndNotifyAsync(outcome, id, notifier, db, cancellationToken);
    }

    /// <summary>The run's status and whether it should stop, for the node supervising its trainer (changes nothing).</summary>
    public static async Task<Results<Ok<RunProgressReply>, ProblemHttpResult>> GetStatus(long id, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var status = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken);
        return status is { } s
            ? TypedResults.Ok(RunLifecycle.Reply(s))
            : Problems.NotFound($"Run {id} does not exist.");
    }

    public static async Task<Results<Ok<RunProgressReply>, ProblemHttpResult, ValidationProblem>> ReportStatus(
        long id, RunStatusUpdate update, ClaimsPrincipal user, RunLifecycle lifecycle, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, update.Worker) is { } denied)
        {
            return denied;
        }
        var outcome = await lifecycle.UpdateStatusAsync(id, update, cancellationToken);
        return await ReplyAndNotifyAsync(outcome, id, notifier, db, cancellationToken);
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> AppendMetrics(
        long id, MetricBatch batch, RlStudioDbContext db, MetricWriter metrics, RunNotifier notifier, Alarms.AlarmMonitor alarms, IOptions<LimitOptions> limits,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var points = batch.Points ?? [];
        if (points.Count > limits.Value.MetricPointsPerRequest)
        {
            return Problems.Invalid("points", $"at most {limits.Value.MetricPointsPerRequest} points per request; send the rest in further requests");
        }
        for (var i = 0; i < points.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(points[i].Key) || points[i].Key.Length > MetricPoint.MaxKeyLength)
            {
                errors.Add($"points[{i}].key", $"required, at most {MetricPoint.MaxKeyLength} characters");
            }
            if (points[i].Step < 0)
            {
                errors.Add($"points[{i}].step", "must be ≥ 0");
            }
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        var written = await metrics.WriteAsync(id, points, cancellationToken);
        if (written.Count > 0)
        {
            await notifier.MetricsAppendedAsync(id, written);
            alarms.MetricsWritten(id, written);
        }
        return TypedResults.NoContent();
    }

    /// <summary>A step's samples, stored once however often they are sent (by their place in the step), up to the kept limit per step.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> AppendRollouts(
        long id, RolloutBatch batch, RlStudioDbContext db, RunNotifier notifier, IOptions<LimitOptions> limits, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        var samples = await db.AppendRolloutsAsync(id, batch.Samples ?? [], cancellationToken, keptPerStep: limits.Value.RolloutsKeptPerStep);
        if (samples.Count > 0)
        {
            await notifier.RolloutsAppendedAsync(id, samples);
        }
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The request body (application/octet-stream) becomes the checkpoint at <paramref name="step"/>; 201 when stored, 200 when
    /// it already was. A new checkpoint then applies the run's retention settings (<see cref="CheckpointRetention"/>).
    /// </summary>
    public static async Task<Results<Created<CheckpointDto>, Ok<CheckpointDto>, ProblemHttpResult, ValidationProblem>> UploadCheckpoint(
        long id, int? step, HttpRequest request, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (step is null or < 0)
        {
            return Problems.Invalid("step", "required query parameter, ≥ 0");
        }
        // Retention follows the run's settings as changed while it trains.
        var spec = await db.LatestSpecAsync(id, cancellationToken);
        if (spec is null)
        {
            return Problems.NotFound($"Run {id} does not exist.");
        }
        var (checkpoint, created) = await db.WriteCheckpointAsync(id, step.Value, request.Body, cancellationToken);
        if (created)
        {
            await db.ApplyRetentionAsync(id, spec.Settings, cancellationToken);
        }
        return created ? TypedResults.Created($"/api/checkpoints/{checkpoint.Id}/content", checkpoint) : TypedResults.Ok(checkpoint);
    }

    /// <summary>A worker applied a settings change from a step on, or could not (its error); the run's dashboards are told.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ReportSettingChange(
        long id, long changeId, SettingChangeApplied report, ClaimsPrincipal user, RlStudioDbContext db, RunNotifier notifier,
        CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, report.Worker) is { } denied)
        {
            return denied;
        }
        if (report.Step < 1)
        {
            return Problems.Invalid("step", "the first step trained with the change: at least 1");
        }
        if (!await db.MarkSettingChangeAppliedAsync(id, changeId, report.Step, report.Error, cancellationToken))
        {
            return Problems.NotFound($"Run {id} has no settings change {changeId}.");
        }
        await notifier.RunUpdatedAsync(db, id, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A worker's report on an export it runs (<see cref="ExportLifecycle.UpdateStatusAsync"/>), pushed to the run's dashboards.</summary>
    public static async Task<Results<Ok<CheckpointExportDto>, ProblemHttpResult, ValidationProblem>> ReportExportStatus(
        long id, ExportStatusUpdate update, ClaimsPrincipal user, ExportLifecycle exports, RunNotifier notifier, CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, update.Worker) is { } denied)
        {
            return denied;
        }
        var outcome = await exports.UpdateStatusAsync(id, update, cancellationToken);
        if (outcome.Kind != OutcomeKind.Ok)
        {
            return Problems.Failure<Ok<CheckpointExportDto>, CheckpointExportDto>(outcome);
        }
        await notifier.ExportUpdatedAsync(outcome.Value!);
        return TypedResults.Ok(outcome.Value!);
    }

    public static async Task<Results<Ok<DatasetItemsResponse>, ProblemHttpResult>> GetDatasetItems(
        long id, ClaimsPrincipal user, IngestAccess access, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (await access.DatasetVersionAsync(user, id, cancellationToken) is { } denied)
        {
            return denied;
        }
        if (await db.GetItemsAsync(id, cancellationToken) is not { } items)
        {
            return Problems.NotFound($"Dataset version {id} does not exist.");
        }
        var kind = await db.DatasetVersions.Where(v => v.Id == id).Select(v => v.Kind).FirstAsync(cancellationToken);
        return TypedResults.Ok(new DatasetItemsResponse(id, items, kind));
    }

    /// <summary>A checkpoint the caller's node needs (<see cref="IngestAccess.CheckpointAsync"/>), as <see cref="CheckpointsApi.GetCheckpointContent"/>.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetCheckpointContent(
        long id, ClaimsPrincipal user, IngestAccess access, RlStudioDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (await access.CheckpointAsync(user, id, cancellationToken) is { } denied)
        {
            return denied;
        }
        return await CheckpointsApi.GetCheckpointContent(id, db, http, cancellationToken);
    }

    /// <summary>Takes a comparison batch to sample (guarded: one node per batch).</summary>
    public static async Task<Results<Ok<ComparisonSamplingClaim>, ProblemHttpResult, ValidationProblem>> ClaimBatch(
        long id, ClaimRunRequest request, ClaimsPrincipal user, ComparisonSampling sampling, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Worker)) return Problems.Invalid("worker", "required");
        if (IngestAccess.SpeaksFor(user, request.Worker) is { } denied) return denied;
        return Problems.OkOr(await sampling.ClaimAsync(id, request.Worker, cancellationToken));
    }

    /// <summary>Sampled items of a batch the caller's node claimed (idempotent by ordinal); the batch pages see the progress.</summary>
    public static async Task<Results<Ok<int>, ProblemHttpResult, ValidationProblem>> AddBatchItems(
        long id, ComparisonItemsBatch batch, ClaimsPrincipal user, ComparisonSampling sampling, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, batch.Worker) is { } denied) return denied;
        var outcome = await sampling.AddItemsAsync(id, batch, cancellationToken);
        if (outcome.Kind == OutcomeKind.Ok) await notifier.BatchUpdatedAsync(db, id, cancellationToken);
        return Problems.OkOr(outcome);
    }

    public static async Task<Results<Ok<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> ReportBatchStatus(
        long id, ComparisonBatchStatusUpdate update, ClaimsPrincipal user, ComparisonSampling sampling, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken)
    {
        if (IngestAccess.SpeaksFor(user, update.Worker) is { } denied) return denied;
        var outcome = await sampling.SetStatusAsync(id, update, cancellationToken);
        if (outcome.Kind == OutcomeKind.Ok) await notifier.BatchUpdatedAsync(db, id, cancellationToken);
        return Problems.OkOr(outcome);
    }

    /// <summary>A run changed state: push its summary to the dashboards, then answer with the outcome.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult, ValidationProblem>> ReplyAndNotifyAsync<T>(
        Outcome<T> outcome, long runId, RunNotifier notifier, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (outcome.Kind != OutcomeKind.Ok)
        {
            return Problems.Failure<Ok<T>, T>(outcome);
        }
        await notifier.RunUpdatedAsync(db, runId, cancellationToken);
        return TypedResults.Ok(outcome.Value!);
    }
}
