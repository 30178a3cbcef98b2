using Hangfire;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Jobs;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Entities;
using RlStudio.Data.Labeling;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;
using static RlStudio.Web.Labeling.ComparisonBatchRules;

namespace RlStudio.Web.Labeling;

/// <summary>
/// Creates comparison batches: sampled on a worker node (validated, sources pinned to checkpoints, a sampling job
/// queued) or imported from JSONL (all lines or nothing); and changes who may label one and whose labels count.
/// </summary>
public sealed class ComparisonBatchCommands(RlStudioDbContext db, IRunReferences references, IBackgroundJobClient jobs, AuditLog audit)
{
    public async Task<Outcome<ComparisonBatchDto>> CreateSampledAsync(Caller caller, CreateComparisonBatchRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = Name(request.Name, errors);
        var queue = string.IsNullOrWhiteSpace(request.Queue) ? RunRequestValidator.DefaultQueue : request.Queue.Trim();
        if (!RunRequestValidator.IsQueueName(queue)) errors.Add("queue", "1–50 lowercase letters, digits, '_' or '-' (a Hangfire queue name)");
        DatasetDto? dataset = null;
        if (string.IsNullOrWhiteSpace(request.Dataset)) errors.Add("dataset", "required: a prompt dataset's name or id");
        else if ((dataset = await references.FindDatasetAsync(request.Dataset.Trim(), cancellationToken)) is null) errors.Add("dataset", $"dataset '{request.Dataset}' does not exist");
        else if (dataset.Kind != DatasetKind.Prompts) errors.Add("dataset", $"dataset '{dataset.Name}' holds preference pairs; a batch samples answers to prompts");
        var sources = await SourcesAsync(request.Sources, queue, errors, cancellationToken);
        var overlap = Range(request.Overlap, DefaultOverlap, 1, MaxOverlap, "overlap", errors);
        var items = Range(request.Items, DefaultItems, 1, MaxItems, "items", errors);
        var temperature = request.Temperature ?? DefaultTemperature;
        if (!(double.IsFinite(temperature) && temperature >= 0 && temperature <= MaxTemperature)) errors.Add("temperature", $"must be in [0, {MaxTemperature}]");
        else if (temperature == 0 && sources?.Count == 1) errors.Add("temperature", "one source sampled twice needs temperature > 0, or its two answers are the same");
        var topP = request.TopP ?? DefaultTopP;
        if (!(double.IsFinite(topP) && topP > 0 && topP <= 1)) errors.Add("topP", "must be in (0, 1]");
        var maxNewTokens = Range(request.MaxNewTokens, DefaultMaxNewTokens, 1, ComparisonBatchRules.MaxNewTokens, "maxNewTokens", errors);
        if (request.Seed is < 0) errors.Add("seed", "must be ≥ 0");
        var guidelines = Guidelines(request.Guidelines, errors);
        var labelers = await LabelersAsync(request.Labelers, errors, cancellationToken);
        if (!errors.IsEmpty) return Outcome<ComparisonBatchDto>.Invalid(errors);

        var batch = new ComparisonBatch
        {
            Name = name!, Status = ComparisonBatchStatus.Sampling, DatasetId = dataset!.Id, DatasetVersionId = dataset.VersionId, Sources = sources!,
            Overlap = overlap, Guidelines = guidelines, LabelerIds = labelers, AllowTies = request.AllowTies ?? true, AllowBothBad = request.AllowBothBad ?? true,
            TargetItems = Math.Min(items, dataset.ItemCount), Temperature = temperature, TopP = topP, MaxNewTokens = maxNewTokens,
            Seed = request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue), Queue = queue, CreatedById = caller.UserId, CreatedAt = DateTimeOffset.UtcNow,
        };
        var id = await db.AddBatchAsync(batch, [], cancellationToken);
        var jobId = jobs.Enqueue<ISampleComparisonBatchJob>(queue, j => j.SampleAsync(id, CancellationToken.None));
        await db.ComparisonBatches.Where(b => b.Id == id).ExecuteUpdateAsync(u => u.SetProperty(b => b.JobId, jobId), cancellationToken);
        await audit.RecordAsync(caller, "batch.create", "batch", id,
            after: new { batch.Name, Dataset = dataset.Name, Sources = sources!.Select(s => s.Describe()), batch.Overlap, batch.TargetItems, Queue = queue },
            cancellationToken: cancellationToken);
        return Outcome<ComparisonBatchDto>.Ok((await db.GetBatchAsync(id, cancellationToken))!);
    }

    /// <summary>A batch from JSONL lines of <c>prompt</c>, <c>response_a</c>, <c>response_b</c> (and optionally <c>reference</c>); any bad line stores nothing.</summary>
    public async Task<Outcome<ComparisonBatchDto>> ImportAsync(Caller caller, string? rawName, int? rawOverlap, string? rawGuidelines, Stream? jsonl,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = Name(rawName, errors);
        var overlap = Range(rawOverlap, DefaultOverlap, 1, MaxOverlap, "overlap", errors);
        var guidelines = Guidelines(rawGuidelines, errors);
        List<ComparisonItemDto> items = [];
        if (jsonl is null) errors.Add("file", "required: a JSONL file of prompt, response_a, response_b");
        else
        {
            (items, var lineErrors) = await ComparisonJsonl.ParseAsync(jsonl, cancellationToken);
            lineErrors.ForEach(e => errors.Add("file", e));
        }
        if (!errors.IsEmpty) return Outcome<ComparisonBatchDto>.Invalid(errors);
        var batch = new ComparisonBatch
        {
            Name = name!, Status = ComparisonBatchStatus.Ready, Sources = [new ComparisonSource()], Overlap = overlap, Guidelines = guidelines,
            AllowTies = true, AllowBothBad = true, TargetItems = items.Count, Queue = RunRequestValidator.DefaultQueue, CreatedById = caller.UserId,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var id = await db.AddBatchAsync(batch, items, cancellationToken);
        await audit.RecordAsync(caller, "batch.import", "batch", id, after: new { batch.Name, Items = items.Count, batch.Overlap }, cancellationToken: cancellationToken);
        return Outcome<ComparisonBatchDto>.Ok((await db.GetBatchAsync(id, cancellationToken))!);
    }

    /// <summary>Sets the labelers whose labels statistics and exports leave out (the batch's owner or an Admin).</summary>
    public async Task<Outcome<ComparisonBatchDto>> UpdateAsync(Caller caller, long id, UpdateComparisonBatchRequest request, CancellationToken cancellationToken)
    {
        var batch = await db.ComparisonBatches.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (batch is null) return Outcome<ComparisonBatchDto>.NotFound($"Batch {id} does not exist.");
        if (!caller.MayManage(batch.CreatedById)) return Outcome<ComparisonBatchDto>.Forbidden($"Only the owner of batch {id}, or an Admin, can change it.");
        if (request.ExcludedLabelers is { } excluded)
        {
            var errors = new ValidationErrors();
            var ids = await UserIdsAsync(excluded, "excludedLabelers", errors, cancellationToken);
            if (!errors.IsEmpty) return Outcome<ComparisonBatchDto>.Invalid(errors);
            var before = batch.ExcludedLabelerIds.ToList();
            batch.ExcludedLabelerIds = ids;
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(caller, "batch.update", "batch", id, new { ExcludedLabelerIds = before }, new { ExcludedLabelerIds = ids }, cancellationToken);
        }
        return Outcome<ComparisonBatchDto>.Ok((await db.GetBatchAsync(id, cancellationToken))!);
    }

    private static string? Name(string? raw, ValidationErrors errors)
    {
        var name = raw?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "required");
        else if (name.Length > MaxNameLength || name.Any(char.IsControl)) errors.Add("name", $"at most {MaxNameLength} characters, no control characters");
        return name;
    }

    private static string? Guidelines(string? raw, ValidationErrors errors)
    {
        if (raw is { Length: > MaxGuidelinesLength }) errors.Add("guidelines", $"at most {MaxGuidelinesLength} characters");
        return string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
    }

    private static int Range(int? value, int fallback, int min, int max, string field, ValidationErrors errors)
    {
        if (value is { } v && (v < min || v > max)) errors.Add(field, $"must be in {min}..{max}");
        return value ?? fallback;
    }

    /// <summary>One or two sources, each exactly one model; a run is pinned to its newest checkpoint now; folders under the queue's roots.</summary>
    private async Task<List<ComparisonSource>?> SourcesAsync(IReadOnlyList<ComparisonSource>? sources, string queue, ValidationErrors errors,
        CancellationToken cancellationToken)
    {
        if (sources is not { Count: 1 or 2 })
        {
            errors.Add("sources", "one source (sampled twice) or two sources (one answer each)");
            return null;
        }
        var pinned = new List<ComparisonSource>();
        for (var i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            var field = $"sources[{i}]";
            var given = (s.CheckpointId is null ? 0 : 1) + (s.RunId is null ? 0 : 1) + (s.Preset is null ? 0 : 1) + (s.ModelPath is null ? 0 : 1);
            if (given != 1) errors.Add(field, $"exactly one of checkpointId, runId, preset or modelPath (got {given})");
            else if (s.CheckpointId is { } checkpointId)
            {
                if (!await references.CheckpointExistsAsync(checkpointId, cancellationToken)) errors.Add($"{field}.checkpointId", $"checkpoint {checkpointId} does not exist");
                else if (await WritesAnswersAsync(checkpointId, $"{field}.checkpointId", errors, cancellationToken)) pinned.Add(s);
            }
            else if (s.RunId is { } runId)
            {
                if (await references.NewestCheckpointIdAsync(runId, cancellationToken) is not { } newest) errors.Add($"{field}.runId", $"run {runId} does not exist or has no checkpoint yet");
                else if (await WritesAnswersAsync(newest, $"{field}.runId", errors, cancellationToken)) pinned.Add(new ComparisonSource(CheckpointId: newest));
            }
            else if (s.Preset is { } preset)
            {
                if (BaseModelSpec.Presets.Contains(preset)) pinned.Add(s);
                else errors.Add($"{field}.preset", $"unknown preset '{preset}'; expected one of {string.Join(", ", BaseModelSpec.Presets)}");
            }
            else if (WorkerFolder.Problem(s.ModelPath, queue, await references.ModelRootsForQueueAsync(queue, cancellationToken)) is { } problem)
            {
                errors.Add($"{field}.modelPath", problem);
            }
            else
            {
                pinned.Add(new ComparisonSource(ModelPath: Contracts.Workers.ModelRoots.Normalize(s.ModelPath)));
            }
        }
        return pinned.Count == sources.Count ? pinned : null;
    }

    /// <summary>A reward model's checkpoint scores answers; it writes none.</summary>
    private async Task<bool> WritesAnswersAsync(long checkpointId, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (await references.CheckpointAlgorithmAsync(checkpointId, cancellationToken) != Algorithm.RewardModel) return true;
        errors.Add(field, $"checkpoint {checkpointId} is a reward model's: it scores answers and writes none; pick a policy");
        return false;
    }

    /// <summary>The accounts named (by name); null (everyone who may label) when none are named.</summary>
    private async Task<List<long>?> LabelersAsync(IReadOnlyList<string>? names, ValidationErrors errors, CancellationToken cancellationToken) =>
        names is null || names.Count == 0 ? null : await UserIdsAsync(names, "labelers", errors, cancellationToken);

    private async Task<List<long>> UserIdsAsync(IReadOnlyList<string> names, string field, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var wanted = names.Select(n => n?.Trim() ?? "").Distinct().ToList();
        var found = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.Id, cancellationToken);
        foreach (var missing in wanted.Where(n => !found.ContainsKey(n))) errors.Add(field, $"no account named '{missing}'");
        return [.. found.Values];
    }
}
