using RlStudio.Contracts.Models;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// Body of <c>POST /api/runs/validate</c>: what <c>POST /api/runs</c> would say, without storing or queueing
/// anything. When valid: the memory estimate (null for a base whose size is known only to the worker) and, per
/// online worker serving the run's queue, whether it fits; and warnings that do not stop it being queued (no online
/// worker serves its queue: it would wait until one does).
/// </summary>
public sealed record RunValidationDto(
    bool Valid,
    IReadOnlyDictionary<string, string[]> Errors,
    MemoryEstimateDto? Memory,
    IReadOnlyList<DeviceFit> Devices,
    IReadOnlyList<string>? Warnings = null);

/// <summary>One worker's verdict: <see cref="Fits"/> is null when the worker does not report its memory.</summary>
public sealed record DeviceFit(string Worker, string Device, long? MemoryBytes, bool? Fits);
