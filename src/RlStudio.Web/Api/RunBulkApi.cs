using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Audit;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>POST /api/runs/bulk</c>: cancel, tag or delete several runs at once (the runs list's selection). Each run goes
/// through its single-run endpoint (<see cref="RunsApi.CancelRun"/>, <see cref="RunsApi.UpdateRun"/>,
/// <see cref="RunsApi.DeleteRun"/>), so permissions, audit entries, live pushes and refusals are exactly theirs; a run
/// refused is reported with that reason and the others go on.
/// </summary>
public static class RunBulkApi
{
    /// <summary>Most runs in one request (a runs-list page at its largest).</summary>
    public const int MaxIds = Data.Queries.RunListOptions.MaxLimit;

    public static readonly IReadOnlyList<string> Actions = ["cancel", "tag", "delete"];

    public static RouteGroupBuilder MapRunBulkApi(this RouteGroupBuilder api)
    {
        api.MapPost("/bulk", Bulk);
        return api;
    }

    public static async Task<Results<Ok<BulkRunResult>, ValidationProblem>> Bulk(
        BulkRunRequest request, [AsParameters] RunServices services, RunDeletion deletion, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var action = request.Action?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(action)) errors.Add("action", $"required: one of {string.Join(", ", Actions)}");
        else if (!Actions.Contains(action)) errors.Add("action", $"unknown action '{request.Action}'; expected one of {string.Join(", ", Actions)}");
        var ids = request.Ids?.Distinct().ToList() ?? [];
        if (ids.Count is 0 or > MaxIds) errors.Add("ids", $"required: 1 to {MaxIds} run ids");
        if (ids.Any(id => id <= 0)) errors.Add("ids", "run ids are positive");
        string? tag = null;
        if (action == "tag")
        {
            var tagErrors = new ValidationErrors();
            if (string.IsNullOrWhiteSpace(request.Tag)) errors.Add("tag", $"required for the action tag: {RunLabels.TagRule}");
            else if (RunLabels.Tags([request.Tag], tagErrors) is [var valid] && tagErrors.IsEmpty) tag = valid;
            else errors.Add("tag", $"'{request.Tag}' is not a tag: {RunLabels.TagRule}");
        }
        else if (request.Tag is not null) errors.Add("tag", "only for the action tag");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var done = new List<long>();
        var skipped = new List<BulkRunSkip>();
        foreach (var id in ids)
        {
            var reason = action switch
            {
                "cancel" => Refusal(await RunsApi.CancelRun(id, services, user, cancellationToken)),
                "delete" => Refusal(await RunsApi.DeleteRun(id, deletion, services.Notifier, services.Audit, user, cancellationToken)),
                _ => await AddTagAsync(id, tag!, services, user, cancellationToken),
            };
            if (reason is null) done.Add(id); else skipped.Add(new BulkRunSkip(id, reason));
        }
        return TypedResults.Ok(new BulkRunResult(action!, done, skipped));
    }

    /// <summary>The run's tags with <paramref name="tag"/> added, through PATCH; a run that has it already is left alone.</summary>
    private static async Task<string?> AddTagAsync(long id, string tag, RunServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tags = await services.Db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.Tags).SingleOrDefaultAsync(cancellationToken);
        if (tags is null) return $"Run {id} does not exist.";
        if (tags.Contains(tag, StringComparer.Ordinal)) return $"Run {id} is already tagged '{tag}'.";
        return Refusal(await RunsApi.UpdateRun(id, new UpdateRunRequest(Tags: [.. tags, tag]), services, user, cancellationToken));
    }

    /// <summary>Why a single-run endpoint refused (its problem's detail, or its field errors), or null when it succeeded.</summary>
    private static string? Refusal(IResult result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result switch
        {
            ProblemHttpResult problem => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title,
            ValidationProblem validation => string.Join(" ", validation.ProblemDetails.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
            _ => null,
        };
    }
}
