using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Models;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Queries;
using RlStudio.Data.Storage;

namespace RlStudio.Web.Runs;

/// <summary>
/// Answers "would this run be accepted, and does it fit?" before anything is queued: the same validation as
/// <c>POST /api/runs</c>, the memory estimate for the base model's shape (a preset, or the preset at the root of a
/// chain of checkpoints), and a verdict per online worker that serves the run's queue.
/// </summary>
public sealed class RunPreflight(RunRequestValidator validator, RlStudioDbContext db)
{
    /// <summary>Base-of-a-base links followed to find the preset a checkpoint descends from.</summary>
    private const int MaxBaseChain = 32;

    public async Task<RunValidationDto> CheckAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        var (validated, errors) = await validator.ValidateAsync(request, cancellationToken);
        if (validated is null)
        {
            return new RunValidationDto(false, errors.ToDictionary(), null, []);
        }
        var spec = validated.Spec;
        var shape = await ResolveShapeAsync(spec.Base, cancellationToken);
        var memory = shape is null ? null : MemoryEstimator.Estimate(spec.Algorithm, spec.Settings, shape);
        var workers = await db.Online()
            .Where(w => w.Queues.Contains(validated.Queue))
            .OrderBy(w => w.Name)
            .ToListAsync(cancellationToken);
        var devices = workers.Select(w => new DeviceFit(w.Name, w.Device, w.MemoryBytes,
            memory is null || w.MemoryBytes is null ? null : memory.TotalBytes <= w.MemoryBytes)).ToList();
        var warnings = workers.Count == 0 ? new[] { RunWarnings.NoWorker(validated.Queue) } : [];
        return new RunValidationDto(true, new Dictionary<string, string[]>(), memory, devices, warnings);
    }

    /// <summary>The preset shape a base descends from, or null when the chain ends elsewhere (e.g. a model folder).</summary>
    private async Task<ModelShape?> ResolveShapeAsync(BaseModelSpec spec, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop < MaxBaseChain; hop++)
        {
            if (spec.Preset is { } preset) return ModelShape.ForPreset(preset);
            if (spec.RunId is null && spec.CheckpointId is null) return null; // a model folder: only its worker knows its size
            var runId = spec.RunId ?? await db.Checkpoints.Where(c => c.Id == spec.CheckpointId).Select(c => (long?)c.RunId).SingleOrDefaultAsync(cancellationToken);
            if (runId is null) return null;
            var parent = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Spec).SingleOrDefaultAsync(cancellationToken);
            if (parent is null) return null;
            spec = parent.Base;
        }
        return null;
    }
}
