using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Labeling;
using RlStudio.Data;
using RlStudio.Data.Labeling;
using RlStudio.Web.Auth;
using RlStudio.Web.Labeling;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>/api/comparison-batches</c> (Researchers): create by sampling (JSON) or import (multipart JSONL), read with progress,
/// agreement statistics, every label (owner or Admin), exclude labelers, export as a preference dataset or as TRL's DPO JSONL.
/// </summary>
public static class ComparisonBatchesApi
{
    public static IEndpointRouteBuilder MapComparisonBatchesApi(this IEndpointRouteBuilder app, long uploadBytes)
    {
        var api = app.MapGroup("/api/comparison-batches").WithTags("Labeling");
        api.MapPost("/", CreateBatch).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(uploadBytes))
            .WithFormOptions(multipartBodyLengthLimit: uploadBytes);
        api.MapGet("/", ListBatches);
        api.MapGet("/{id:long}", GetBatch);
        api.MapPatch("/{id:long}", UpdateBatch);
        api.MapGet("/{id:long}/stats", GetStats);
        api.MapGet("/{id:long}/labels", GetLabels);
        api.MapGet("/{id:long}/export", DownloadExport);
        api.MapPost("/{id:long}/export", SaveExport);
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>JSON <see cref="CreateComparisonBatchRequest"/> to sample on a worker, or multipart <c>name</c>, <c>overlap</c>, <c>guidelines</c>, <c>file</c> to import.</summary>
    public static async Task<Results<Created<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> CreateBatch(
        HttpRequest request, ClaimsPrincipal user, ComparisonBatchCommands commands, RunNotifier notifier, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            int? overlap = null;
            if (form.TryGetValue("overlap", out var text) && !string.IsNullOrWhiteSpace(text))
            {
                if (!int.TryParse(text, out var parsed)) return Problems.Invalid("overlap", "must be a whole number");
                overlap = parsed;
            }
            await using var file = form.Files.GetFile("file")?.OpenReadStream();
            return await ImportBatch(form["name"], overlap, form["guidelines"], file, user, commands, notifier, db, cancellationToken);
        }
        CreateComparisonBatchRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<CreateComparisonBatchRequest>(Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.Invalid("body", $"not valid JSON for this request{(e.Path is { Length: > 1 } p ? $" at {p}" : "")}");
        }
        if (body is null) return Problems.Invalid("body", "required: a JSON object");
        return await SampleBatch(body, user, commands, notifier, db, cancellationToken);
    }

    /// <summary>A batch sampled on a worker node of the request's queue.</summary>
    public static async Task<Results<Created<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> SampleBatch(
        CreateComparisonBatchRequest body, ClaimsPrincipal user, ComparisonBatchCommands commands, RunNotifier notifier, RlStudioDbContext db,
        CancellationToken cancellationToken) =>
        await Created(await commands.CreateSampledAsync(Caller.From(user), body, cancellationToken), notifier, db, cancellationToken);

    /// <summary>A batch from JSONL lines of <c>prompt</c>, <c>response_a</c>, <c>response_b</c>.</summary>
    public static async Task<Results<Created<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> ImportBatch(
        string? name, int? overlap, string? guidelines, Stream? jsonl, ClaimsPrincipal user, ComparisonBatchCommands commands, RunNotifier notifier,
        RlStudioDbContext db, CancellationToken cancellationToken) =>
        await Created(await commands.ImportAsync(Caller.From(user), name, overlap, guidelines, jsonl, cancellationToken), notifier, db, cancellationToken);

    private static async Task<Results<Created<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> Created(
        Outcome<ComparisonBatchDto> outcome, RunNotifier notifier, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (outcome.Kind == OutcomeKind.Ok) await notifier.BatchUpdatedAsync(db, outcome.Value!.Id, cancellationToken);
        return Problems.CreatedOr(outcome, b => $"/api/comparison-batches/{b.Id}");
    }

    public static async Task<Ok<List<ComparisonBatchDto>>> ListBatches(RlStudioDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ListBatchesAsync(cancellationToken));

    public static async Task<Results<Ok<ComparisonBatchDto>, ProblemHttpResult>> GetBatch(long id, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.GetBatchAsync(id, cancellationToken) is { } batch ? TypedResults.Ok(batch) : Problems.NotFound($"Batch {id} does not exist.");

    /// <summary>Labelers to leave out of statistics and exports (the owner or an Admin).</summary>
    public static async Task<Results<Ok<ComparisonBatchDto>, ProblemHttpResult, ValidationProblem>> UpdateBatch(
        long id, UpdateComparisonBatchRequest request, ClaimsPrincipal user, ComparisonBatchCommands commands, CancellationToken cancellationToken) =>
        Problems.OkOr(await commands.UpdateAsync(Caller.From(user), id, request, cancellationToken));

    public static async Task<Results<Ok<BatchStatsDto>, ProblemHttpResult>> GetStats(long id, BatchStatistics statistics, CancellationToken cancellationToken) =>
        await statistics.ComputeAsync(id, cancellationToken) is { } stats ? TypedResults.Ok(stats) : Problems.NotFound($"Batch {id} does not exist.");

    /// <summary>Every label with its labeler, rationale and time (the batch's owner or an Admin).</summary>
    public static async Task<Results<Ok<List<BatchLabelDto>>, ProblemHttpResult>> GetLabels(
        long id, ClaimsPrincipal user, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var owner = await db.ComparisonBatches.Where(b => b.Id == id).Select(b => new { b.CreatedById }).SingleOrDefaultAsync(cancellationToken);
        if (owner is null) return Problems.NotFound($"Batch {id} does not exist.");
        if (!Caller.From(user).MayManage(owner.CreatedById)) return Problems.Forbidden($"Only the owner of batch {id}, or an Admin, sees its labels.");
        var labels = await db.BatchLabelsAsync(id, cancellationToken);
        return TypedResults.Ok(labels.Select(l => new BatchLabelDto(l.ItemId, l.Ordinal, l.Labeler, l.Choice, l.Rationale, l.Seconds, l.At)).ToList());
    }

    /// <summary><c>format=dpo</c>: the pairs as JSONL lines of <c>{prompt, chosen, rejected}</c>, the format TRL's DPO trainer reads.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> DownloadExport(
        long id, string? format, string? aggregation, string? ties, string? bothBad, BatchExport export, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if ((format ?? "dpo") != "dpo") errors.Add("format", "dpo (JSONL of prompt, chosen, rejected)");
        var options = BatchExport.Parse(aggregation, ties, bothBad, errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var pairs = await export.PairsAsync(id, options!, cancellationToken);
        if (pairs is null) return Problems.NotFound($"Batch {id} does not exist.");
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false), leaveOpen: true);
            foreach (var pair in pairs)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { prompt = pair.Prompt, chosen = pair.Chosen, rejected = pair.Rejected }));
            }
        }, "application/jsonl", $"batch{id}-dpo.jsonl");
    }

    /// <summary>A new preference dataset version from the labels (lineage: the version names the batch).</summary>
    public static async Task<Results<Created<DatasetDto>, ProblemHttpResult, ValidationProblem>> SaveExport(
        long id, ExportBatchRequest request, ClaimsPrincipal user, BatchExport export, CancellationToken cancellationToken) =>
        Problems.CreatedOr(await export.SaveAsync(Caller.From(user), id, request, cancellationToken), d => $"/api/datasets/{d.Id}");
}

/// <summary>A label as the batch's owner sees it.</summary>
public sealed record BatchLabelDto(long ItemId, int Ordinal, string Labeler, PreferenceChoice Choice, string? Rationale, double Seconds, DateTimeOffset At);
