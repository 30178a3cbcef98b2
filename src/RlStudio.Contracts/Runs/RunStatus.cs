using System.Text.Json.Serialization;

namespace RlStudio.Contracts.Runs;

/// <summary>A run's lifecycle. Written on the wire as the member name (<c>"Queued"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    Queued,
    Starting,
    Running,
    CancelRequested,
    Cancelled,
    Succeeded,
    Failed,
    Lost,
    /// <summary>A user asked a training run to pause: its worker stops at the next step boundary, with a checkpoint.</summary>
    PauseRequested,
    /// <summary>Stopped at a step boundary with a checkpoint, holding no worker; <c>continue</c> queues it again from there.</summary>
    Paused,
}

public static class RunStatusExtensions
{
    /// <summary>The statuses of a run a worker owns and is training (a query-friendly set).</summary>
    public static readonly RunStatus[] Active = [RunStatus.Starting, RunStatus.Running, RunStatus.CancelRequested, RunStatus.PauseRequested];

    /// <summary>The statuses of a run that can no longer change state (a query-friendly set).</summary>
    public static readonly RunStatus[] Terminal = [RunStatus.Cancelled, RunStatus.Succeeded, RunStatus.Failed];

    /// <summary>True once a run can no longer change state.</summary>
    public static bool IsTerminal(this RunStatus status) => Array.IndexOf(Terminal, status) >= 0;
}
