using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Entities;

/// <summary>One training run. <see cref="Spec"/> is the validated <see cref="RunSpec"/>, stored as JSONB.</summary>
public sealed class Run
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The user's free-form notes.</summary>
    public string? Notes { get; set; }
    /// <summary>The user's tags, in the order given.</summary>
    public List<string> Tags { get; set; } = [];
    public long ExperimentId { get; set; }
    public Experiment? Experiment { get; set; }
    public Algorithm Algorithm { get; set; }
    public RunStatus Status { get; set; }
    public required RunSpec Spec { get; set; }
    /// <summary>The dataset it trains on; null for an external run.</summary>
    public long? DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    public int Priority { get; set; }
    public required string Queue { get; set; }
    public long Seed { get; set; }
    public int Step { get; set; }
    public int TotalSteps { get; set; }
    public string? Worker { get; set; }
    public string? Error { get; set; }
    /// <summary>The Hangfire job that trains this run (deleted when a queued run is cancelled).</summary>
    public string? JobId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The account that queued it (null for a deleted account); it or an Admin may delete it.</summary>
    public long? CreatedById { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>PostgreSQL's <c>xmin</c>, used as an optimistic concurrency token.</summary>
    public uint Version { get; set; }

    /// <summary>An external run's MLflow params (its configuration): logged once each, never changed.</summary>
    public Dictionary<string, string> Params { get; set; } = [];

    /// <summary>An external run's MLflow tags (key → value, <c>mlflow.*</c> system tags included).</summary>
    public Dictionary<string, string> ExternalTags { get; set; } = [];

    /// <summary>A launched external run's job (on a Ray cluster); null for runs that report in on their own.</summary>
    public RunLaunch? Launch { get; set; }
}
