using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
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
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } dataset)
        {
            return Problems.NotFound($"Dataset '{nameOrId}' does not exist.");
        }
        return await db.GetItemsPageAsync(dataset.Id, version, offset ?? 0, limit ?? 50, cancellationToken) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound($"Dataset '{dataset.Name}' has no version {version} (newest: {dataset.Version}).");
    }

    /// <summary>Deletes a dataset with every version; 409 naming the runs that train on it (they keep their data's identity).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDataset(string nameOrId, RlStudioDbContext db, CancellationToken cancellationToken)
    {
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } dataset)
        {
            return Problems.NotFound($"Dataset '{nameOrId}' does not exist.");
        }
        var users = await db.Runs.AsNoTracking().Where(r => r.DatasetId == dataset.Id).OrderBy(r => r.Id).Select(r => r.Id).Take(11).ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            var names = string.Join(", ", users.Take(10).Select(id => $"#{id}")) + (users.Count > 10 ? " and more" : "");
            return Problems.Conflict($"Dataset '{dataset.Name}' cannot be deleted: runs {names} train on it. Delete those runs first.");
        }
        try
        {
            // Versions and items go with it (ON DELETE CASCADE); a run created meanwhile makes the delete fail (foreign key).
            await db.Datasets.Where(d => d.Id == dataset.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return Problems.Conflict($"Dataset '{dataset.Name}' cannot be deleted: a run now trains on it.");
        }
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
        if (await db.FindDatasetAsync(nameOrId, cancellationToken) is not { } dataset)
        {
            return Problems.NotFound($"Dataset '{nameOrId}' does not exist.");
        }
        // The page query resolves the version (and says whether it exists); its items are not needed here.
        if (await db.GetItemsPageAsync(dataset.Id, version, 0, 1, cancellationToken) is not { } chosen)
        {
            return Problems.NotFound($"Dataset '{dataset.Name}' has no version {version} (newest: {dataset.Version}).");
        }
        return TypedResults.Stream(
            body => DatasetJsonlWriter.WriteAsync(body, chosen.Kind, db.StreamItemsAsync(chosen.VersionId), cancellationToken),
            "application/jsonl", $"{dataset.Name}-v{chosen.Version}.jsonl");
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
