using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Datasets;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Datasets;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// <c>/api/datasets</c>. Uploading a name that exists adds a new immutable version of that dataset; uploading
/// content identical to the newest version adds nothing and returns that version.
/// </summary>
public static class DatasetsApi
{
    public const int MaxItemsPage = 500;

    /// <param name="uploadBytes">The largest upload (its own request size limit).</param>
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app, long uploadBytes)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");
        api.MapGet("/", ListDatasets);
        api.MapPost("/", UploadDataset).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(uploadBytes))
            .WithFormOptions(multipartBodyLengthLimit: uploadBytes);
        api.MapGet("/{nameOrId}", GetDataset);
        api.MapGet("/{nameOrId}/items", GetDatasetItems);
        api.MapGet("/{nameOrId}/content", DownloadDataset);
        api.MapDelete("/{nameOrId}", DeleteDataset);
        return app;
    }

    public static async Task<Ok<List<DatasetDto>>> ListDatasets(RlStudioDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ListDatasetsAsync(cancellationToken));

    /// <summary>A dataset (by name, or id when numeric) with its newest version.</summary>
    public static async Task<Results<Ok<DatasetDto>, ProblemHttpResult>> GetDataset(string nameOrId, RlStudioDbContext db, CancellationToken cancellationToken) =>
        await db.FindDatasetAsync(nameOrId, cancellationToken) is { } dataset
            ? TypedResults.Ok(dataset)
            : Problems.NotFound($"Dataset '{nameOrId}' does not exist.");

    /// <summary>A page of a dataset's items in file order: <c>offset</c> ≥ 0, <c>limit</c> 1–500 (default 50), <c>version</c> (default newest).</summary>
    public static async Task<Results<Ok<DatasetItemsPage>, ProblemHttpResult, ValidationProblem>> GetDatasetItems(
        string nameOrId, int? offset, int? limit, int? version, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (offset is < 0)
        {
            errors.Add("offset", "must be ≥ 0");
        }
        if (limit is < 1 or > MaxItemsPage)
        {
            errors.Add("limit", $"must be between 1 and {MaxItemsPage}");
        }
        if (version is < 1)
        {
            errors.Add("version", "must be ≥ 1");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var (chosen, missing) = await FindVersionAsync(db, nameOrId, version, cancellationToken);
        return chosen is null ? missing! : TypedResults.Ok(await db.GetItemsPageAsync(chosen, offset ?? 0, limit ?? 50, cancellationToken));
    }

    /// <summary>A dataset's version <paramref name="version"/> (null: the newest), or the 404 saying what is missing.</summary>
    private static async Task<(DatasetDto? Version, ProblemHttpResult? Missing)> FindVersionAsync(
        RlStudioDbContext db, string nameOrId, int? version, CancellationToken cancellationToken)
    {
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } newest)
        {
            return (null, Problems.NotFound($"Dataset '{nameOrId}' does not exist."));
        }
        if (version is null || version == newest.Version)
        {
            return (newest, null);
        }
        return await db.FindVersionAsync(newest.Id, version.Value, cancellationToken) is { } chosen
            ? (chosen, null)
            : (null, Problems.NotFound($"Dataset '{newest.Name}' has no version {version} (newest: {newest.Version})."));
    }

    /// <summary>Deletes a dataset with every version; 409 naming the runs that train on it or the comparison batches sampled from it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDataset(
        string nameOrId, RlStudioDbContext db, AuditLog audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } dataset)
        {
            return Problems.NotFound($"Dataset '{nameOrId}' does not exist.");
        }
        var owner = await db.Datasets.Where(d => d.Id == dataset.Id).Select(d => d.CreatedById).SingleAsync(cancellationToken);
        if (!Caller.From(user).MayManage(owner))
        {
            return Problems.Forbidden($"Only the account that uploaded dataset '{dataset.Name}', or an Admin, can delete it.");
        }
        var users = await db.Runs.AsNoTracking().Where(r => r.DatasetId == dataset.Id).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            return Problems.Conflict($"Dataset '{dataset.Name}' cannot be deleted while runs train on it ({RunIdList.Describe(users)}); delete them first.");
        }
        var batches = await db.ComparisonBatches.AsNoTracking().Where(b => b.DatasetId == dataset.Id).OrderBy(b => b.Id).Select(b => b.Name).ToListAsync(cancellationToken);
        if (batches.Count > 0)
        {
            return Problems.Conflict($"Dataset '{dataset.Name}' cannot be deleted while comparison batches sample its prompts ({string.Join(", ", batches.Take(5).Select(n => $"'{n}'"))}{(batches.Count > 5 ? ", …" : "")}).");
        }
        if (!await db.DeleteDatasetAsync(dataset.Id, cancellationToken))
        {
            return Problems.Conflict($"Dataset '{dataset.Name}' cannot be deleted: a run or comparison batch now uses it.");
        }
        await audit.RecordAsync(Caller.From(user), "dataset.delete", "dataset", dataset.Id, before: new { dataset.Name, dataset.Version, dataset.ItemCount },
            cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A version (default: the newest) as a JSONL download (<see cref="DatasetJsonlWriter"/>), streamed.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> DownloadDataset(
        string nameOrId, int? version, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (version is < 1)
        {
            return Problems.Invalid("version", "must be ≥ 1");
        }
        var (chosen, missing) = await FindVersionAsync(db, nameOrId, version, cancellationToken);
        if (chosen is null)
        {
            return missing!;
        }
        return TypedResults.Stream(
            body => DatasetJsonlWriter.WriteAsync(body, chosen.Kind, db.StreamItemsAsync(chosen.VersionId), cancellationToken),
            "application/jsonl", $"{chosen.Name}-v{chosen.Version}.jsonl");
    }

    /// <summary>
    /// multipart/form-data with <c>name</c> and <c>file</c> (JSONL of prompt + reference, or prompt + chosen + rejected;
    /// the kind is detected). All or nothing.
    /// </summary>
    public static async Task<Results<Created<DatasetDto>, ValidationProblem>> UploadDataset(
        [FromForm] string? name, IFormFile? file, RlStudioDbContext db, AuditLog audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("name", "required");
        }
        else if (name.Length > RunRequestValidator.MaxNameLength)
        {
            errors.Add("name", $"at most {RunRequestValidator.MaxNameLength} characters");
        }
        else if (long.TryParse(name, out _))
        {
            errors.Add("name", "must not be a number (numbers refer to dataset ids)");
        }
        List<NewDatasetItem> items = [];
        var kind = DatasetKind.Prompts;
        if (file is null)
        {
            errors.Add("file", "required: a JSONL file");
        }
        else
        {
            await using var stream = file.OpenReadStream();
            (items, kind, var lineErrors) = await JsonlDatasetParser.ParseAsync(stream, cancellationToken);
            lineErrors.ForEach(e => errors.Add("file", e));
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        try
        {
            var caller = Caller.From(user);
            var dataset = await db.AddVersionAsync(name!, items, cancellationToken, kind, caller.UserId);
            await audit.RecordAsync(caller, "dataset.upload", "dataset", dataset.Id,
                after: new { dataset.Name, dataset.Version, dataset.ItemCount, Kind = dataset.Kind }, cancellationToken: cancellationToken);
            return TypedResults.Created($"/api/datasets/{dataset.Id}", dataset);
        }
        catch (DatasetKindMismatchException mismatch)
        {
            errors.Add("file", mismatch.Message);
            return Problems.Invalid(errors);
        }
    }
}
