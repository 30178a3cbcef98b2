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
}

public static class RunStatusExtensions
{
    /// <summary>The statuses of a run a worker owns and is training (a query-friendly set).</summary>
    public static readonly RunStatus[] Active = [RunStatus.Starting, RunStatus.Running, RunStatus.CancelRequested];

    /// <summary>True once a run can no longer change state.</summary>
    public static bool IsTerminal(this RunStatus status) => status switch
    {
        RunStatus.Cancelled or RunStatus.Succeeded or RunStatus.Failed => true,
        RunStatus.Queued or RunStatus.Starting or RunStatus.Running or RunStatus.CancelRequested or RunStatus.Lost => false,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
