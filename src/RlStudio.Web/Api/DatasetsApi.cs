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
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");
        api.MapGet("/", ListDatasets);
        api.MapPost("/", UploadDataset).DisableAntiforgery();
        return app;
    }

    public static async Task<Ok<List<DatasetDto>>> ListDatasets(RlStudioDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ListDatasetsAsync(cancellationToken));

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
