using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Labeling;
using RlStudio.Web.Auth;
using RlStudio.Web.Labeling;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary><c>/api/labeling</c> (Labelers, Researchers, Admins): the batches open to the caller, the next item, answers, skips and undos.</summary>
public static class LabelingApi
{
    public static IEndpointRouteBuilder MapLabelingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/labeling").WithTags("Labeling");
        api.MapGet("/batches", ListBatches);
        api.MapGet("/next", Next);
        api.MapPost("/{itemId:long}", Label);
        api.MapPost("/{itemId:long}/skip", Skip);
        api.MapDelete("/{itemId:long}", Undo);
        return app;
    }

    public static async Task<Ok<List<LabelingBatchDto>>> ListBatches(ClaimsPrincipal user, LabelingService labeling, CancellationToken cancellationToken) =>
        TypedResults.Ok(await labeling.BatchesAsync(Caller.From(user), cancellationToken));

    /// <summary>The caller's next item, or 204 when nothing is left for them. <c>except</c>: item ids the caller already holds (a prefetch asks for another).</summary>
    public static async Task<Results<Ok<LabelingItemDto>, NoContent, ProblemHttpResult, ValidationProblem>> Next(
        long? batchId, string? except, ClaimsPrincipal user, LabelingService labeling, CancellationToken cancellationToken)
    {
        if (batchId is null) return Problems.Invalid("batchId", "required");
        var held = new List<long>();
        foreach (var part in (except ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, out var id) || held.Count >= 50) return Problems.Invalid("except", "up to 50 item ids, comma-separated");
            held.Add(id);
        }
        var outcome = await labeling.NextAsync(Caller.From(user), batchId.Value, held, cancellationToken);
        if (outcome.Kind != OutcomeKind.Ok)
        {
            return Problems.From(outcome).Result switch
            {
                ProblemHttpResult problem => problem,
                ValidationProblem validation => validation,
                _ => throw new InvalidOperationException("Unexpected result."),
            };
        }
        return outcome.Value is { } item ? TypedResults.Ok(item) : TypedResults.NoContent();
    }

    /// <summary>Stores the caller's answer (<c>left</c>, <c>right</c>, <c>tie</c>, <c>both_bad</c>); submitting again returns the stored label.</summary>
    public static async Task<Results<Ok<LabelDto>, ProblemHttpResult, ValidationProblem>> Label(
        long itemId, LabelRequest request, ClaimsPrincipal user, LabelingService labeling, CancellationToken cancellationToken) =>
        Problems.OkOr(await labeling.LabelAsync(Caller.From(user), itemId, request, cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Skip(
        long itemId, ClaimsPrincipal user, LabelingService labeling, CancellationToken cancellationToken)
    {
        var outcome = await labeling.SkipAsync(Caller.From(user), itemId, cancellationToken);
        return outcome.Kind == OutcomeKind.Ok ? TypedResults.NoContent() : Problems.Failure<NoContent, long>(outcome);
    }

    /// <summary>Takes the caller's label back.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Undo(
        long itemId, ClaimsPrincipal user, LabelingService labeling, CancellationToken cancellationToken)
    {
        var outcome = await labeling.UndoAsync(Caller.From(user), itemId, cancellationToken);
        return outcome.Kind == OutcomeKind.Ok ? TypedResults.NoContent() : Problems.Failure<NoContent, LabelDto>(outcome);
    }
}
