using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Mlflow;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// MLflow's tracking REST API under <c>/api/2.0/mlflow/</c>, what TRL's and veRL's
/// MLflow loggers and any MLflow client with <c>MLFLOW_TRACKING_URI</c> speak: experiments, runs, metrics, params and tags
/// (see <see cref="MlflowTracking"/>). Errors on these routes are MLflow's <c>{"error_code", "message"}</c>.
/// </summary>
public static class MlflowApi
{
    public const string Prefix = "/api/2.0/mlflow";

    public static IEndpointRouteBuilder MapMlflowApi(this IEndpointRouteBuilder app)
    {
        var api = MlflowRoutes.Group(app, Prefix);

        api.MapPost("/experiments/create", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { experiment_id = await t.CreateExperimentAsync(await Body<MlflowCreateExperiment>(r, c), Caller.From(u), c) }));
        api.MapGet("/experiments/get", async (string? experiment_id, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { experiment = await t.GetExperimentAsync(experiment_id, c) }));
        api.MapGet("/experiments/get-by-name", async (string? experiment_name, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { experiment = await t.GetExperimentByNameAsync(experiment_name, c) }));
        api.MapPost("/experiments/search", async (HttpRequest r, MlflowTracking t, CancellationToken c) => SearchExperiments(await t.SearchExperimentsAsync(await Body<MlflowSearchExperiments>(r, c), c)));
        api.MapGet("/experiments/search", async (int? max_results, string? page_token, string? filter, string? view_type, [Microsoft.AspNetCore.Mvc.FromQuery] string[]? order_by,
            MlflowTracking t, CancellationToken c) => SearchExperiments(await t.SearchExperimentsAsync(new MlflowSearchExperiments(max_results, page_token, filter, order_by, view_type), c)));
        api.MapPost("/experiments/update", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            await t.UpdateExperimentAsync(await Body<MlflowUpdateExperiment>(r, c), Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/experiments/delete", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            await t.SetExperimentLifecycleAsync((await Body<MlflowExperimentId>(r, c)).ExperimentId, deleted: true, Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/experiments/restore", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            await t.SetExperimentLifecycleAsync((await Body<MlflowExperimentId>(r, c)).ExperimentId, deleted: false, Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/experiments/set-experiment-tag", async (HttpRequest r, MlflowTracking t, CancellationToken c) =>
        {
            await t.SetExperimentTagAsync(await Body<MlflowSetExperimentTag>(r, c), c);
            return Empty;
        });

        api.MapPost("/runs/create", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { run = await t.CreateRunAsync(await Body<MlflowCreateRun>(r, c), Caller.From(u), c) }));
        api.MapGet("/runs/get", async (string? run_id, string? run_uuid, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { run = await t.GetRunAsync(run_id ?? run_uuid, c) }));
        api.MapPost("/runs/update", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { run_info = await t.UpdateRunAsync(await Body<MlflowUpdateRun>(r, c), Caller.From(u), c) }));
        api.MapPost("/runs/delete", DeleteRun);
        api.MapPost("/runs/search", async (HttpRequest r, MlflowTracking t, CancellationToken c) =>
        {
            var (runs, next) = await t.SearchRunsAsync(await Body<MlflowSearchRuns>(r, c), c);
            return MlflowJson.Ok(new { runs = runs.Count == 0 ? null : runs, next_page_token = next });
        });
        api.MapPost("/runs/log-metric", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            var m = await Body<MlflowLogMetric>(r, c);
            await t.LogBatchAsync(m.RunId ?? m.RunUuid, [new MlflowMetric(m.Key, m.Value, m.Timestamp, m.Step)], [], [], Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/runs/log-batch", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            var b = await Body<MlflowLogBatch>(r, c);
            await t.LogBatchAsync(b.RunId, b.Metrics ?? [], b.Params ?? [], b.Tags ?? [], Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/runs/log-parameter", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            var p = await Body<MlflowLogParam>(r, c);
            await t.LogBatchAsync(p.RunId ?? p.RunUuid, [], [new MlflowParam(p.Key, p.Value)], [], Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/runs/set-tag", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            var s = await Body<MlflowSetTag>(r, c);
            await t.LogBatchAsync(s.RunId ?? s.RunUuid, [], [], [new MlflowTag(s.Key, s.Value)], Caller.From(u), c);
            return Empty;
        });
        api.MapPost("/runs/delete-tag", async (HttpRequest r, ClaimsPrincipal u, MlflowTracking t, CancellationToken c) =>
        {
            await t.DeleteTagAsync(await Body<MlflowDeleteTag>(r, c), Caller.From(u), c);
            return Empty;
        });
        // Dataset inputs are accepted and not kept (the run's data lives in its trainer).
        api.MapPost("/runs/log-inputs", async (HttpRequest r, MlflowTracking t, CancellationToken c) =>
        {
            await t.GetRunAsync((await Body<MlflowRunId>(r, c)).RunId, c);
            return Empty;
        });
        api.MapGet("/artifacts/list", MlflowArtifactsApi.ListForRun);
        api.MapGet("/metrics/get-history-bulk-interval", async ([Microsoft.AspNetCore.Mvc.FromQuery] string[]? run_ids, string? metric_key, long? start_step,
            long? end_step, int? max_results, MlflowTracking t, CancellationToken c) =>
            MlflowJson.Ok(new { metrics = await t.GetHistoryBulkIntervalAsync(run_ids ?? [], metric_key, start_step, end_step, max_results, c) }));
        api.MapGet("/metrics/get-history", async (string? run_id, string? run_uuid, string? metric_key, string? page_token, int? max_results,
            MlflowTracking t, CancellationToken c) =>
        {
            var (metrics, next) = await t.GetHistoryAsync(run_id ?? run_uuid, metric_key, page_token, max_results, c);
            return MlflowJson.Ok(new { metrics, next_page_token = next });
        });
        return app;
    }

    private static readonly IResult Empty = MlflowJson.Ok(new { });

    private static Task<T> Body<T>(HttpRequest request, CancellationToken cancellationToken) where T : class =>
        MlflowJson.ReadAsync<T>(request, cancellationToken);

    private static IResult SearchExperiments((List<MlflowExperiment> Experiments, string? NextPageToken) page) =>
        MlflowJson.Ok(new { experiments = page.Experiments, next_page_token = page.NextPageToken });

    /// <summary>Deletes an external run (a running one is marked KILLED first) with all it logged; a native run is deleted on its own page.</summary>
    private static async Task<IResult> DeleteRun(HttpRequest request, ClaimsPrincipal user, MlflowTracking tracking, RunDeletion deletion, RunNotifier notifier,
        RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var body = await Body<MlflowRunId>(request, cancellationToken);
        var run = await tracking.GetRunAsync(body.RunId ?? body.RunUuid, cancellationToken);
        var id = long.Parse(run.Info.RunId, System.Globalization.CultureInfo.InvariantCulture);
        var caller = Caller.From(user);
        if (await db.Runs.AnyAsync(r => r.Id == id && r.Algorithm != Algorithm.External, cancellationToken))
            throw MlflowException.Invalid($"Run {id} is trained by RL Studio; delete it from RL Studio (DELETE /api/runs/{id}).");
        if (run.Info.Status is "RUNNING" or "SCHEDULED") await tracking.UpdateRunAsync(new MlflowUpdateRun(run.Info.RunId, Status: "KILLED"), caller, cancellationToken);
        var outcome = await deletion.DeleteAsync(id, caller, cancellationToken);
        switch (outcome.Kind)
        {
            case OutcomeKind.Ok:
                await notifier.RunDeletedAsync(id);
                return Empty;
            case OutcomeKind.Forbidden:
                throw MlflowException.Forbidden(outcome.Message!);
            default:
                throw MlflowException.Invalid(outcome.Message!);
        }
    }
}
