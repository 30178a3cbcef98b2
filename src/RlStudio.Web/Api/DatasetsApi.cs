using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RlStudio.Contracts.Datasets;
using RlStudio.Data;
using RlStudio.Data.Storage;
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

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");
        api.MapGet("/", ListDatasets);
        api.MapPost("/", UploadDataset).DisableAntiforgery();
        api.MapGet("/{nameOrId}", GetDataset);
        api.MapGet("/{nameOrId}/items", GetDatasetItems);
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
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } dataset)
        {
            return Problems.NotFound($"Dataset '{nameOrId}' does not exist.");
        }
        return await db.GetItemsPageAsync(dataset.Id, version, offset ?? 0, limit ?? 50, cancellationToken) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound($"Dataset '{dataset.Name}' has no version {version} (newest: {dataset.Version}).");
    }

    /// <summary>
    /// multipart/form-data with <c>name</c> and <c>file</c> (JSONL of prompt + reference, or prompt + chosen + rejected;
    /// the kind is detected). All or nothing.
    /// </summary>
    public static async Task<Results<Created<DatasetDto>, ValidationProblem>> UploadDataset(
        [FromForm] string? name, IFormFile? file, RlStudioDbContext db, CancellationToken cancellationToken)
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
            var dataset = await db.AddVersionAsync(name!, items, cancellationToken, kind);
            return TypedResults.Created($"/api/datasets/{dataset.Id}", dataset);
        }
        catch (DatasetKindMismatchException mismatch)
        {
            errors.Add("file", mismatch.Message);
            return Problems.Invalid(errors);
        }
    }
}
