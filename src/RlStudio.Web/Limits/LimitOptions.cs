using System.ComponentModel.DataAnnotations;

namespace RlStudio.Web.Limits;

/// <summary>Section <c>RlStudio:Limits</c>: how much a caller may send, and how often.</summary>
public sealed record LimitOptions
{
    public const string Section = "RlStudio:Limits";

    /// <summary>Sign-in attempts (form posts) per client address per minute; Identity's lockout also locks an account after 5 failures.</summary>
    [Range(1, 10_000)]
    public int SignInsPerMinute { get; init; } = 10;

    /// <summary>Requests per second a key (or, without one, a client address) may make to the API, with bursts up to 4× that.</summary>
    [Range(1, 100_000)]
    public int ApiRequestsPerSecond { get; init; } = 50;

    /// <summary>
    /// Ingest requests per second for one run (metrics, rollouts, progress, checkpoints), with bursts up to 4× that; a
    /// worker that hits it waits (Retry-After) rather than failing the run.
    /// </summary>
    [Range(1, 100_000)]
    public int IngestRequestsPerRunPerSecond { get; init; } = 200;

    /// <summary>Largest JSON body of an ordinary API request.</summary>
    [Range(1024, long.MaxValue)]
    public long JsonBodyBytes { get; init; } = 1 << 20;

    /// <summary>Largest ingest batch (metrics, rollouts) a worker sends in one request.</summary>
    [Range(1024, long.MaxValue)]
    public long IngestBodyBytes { get; init; } = 32L << 20;

    /// <summary>Largest dataset upload (a JSONL file).</summary>
    [Range(1024, long.MaxValue)]
    public long DatasetUploadBytes { get; init; } = 512L << 20;

    /// <summary>Largest checkpoint a worker uploads.</summary>
    [Range(1024, long.MaxValue)]
    public long CheckpointUploadBytes { get; init; } = 64L << 30;

    /// <summary>Rollout samples kept per step of a run; a step's later samples are not stored (its first ones are the record).</summary>
    [Range(1, 100_000)]
    public int RolloutsKeptPerStep { get; init; } = 256;

    /// <summary>Metric points one ingest request may carry (a client with more sends several requests).</summary>
    [Range(1, 10_000_000)]
    public int MetricPointsPerRequest { get; init; } = 100_000;
}
