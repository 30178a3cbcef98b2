using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Mlflow;

/// <summary>A run's status in MLflow's words (RUNNING, FINISHED, FAILED, KILLED, SCHEDULED) and back.</summary>
public static class MlflowStatus
{
    public static string ToMlflow(RunStatus status) => status switch
    {
        RunStatus.Queued or RunStatus.Lost or RunStatus.Paused => "SCHEDULED",
        RunStatus.Starting or RunStatus.Running or RunStatus.CancelRequested or RunStatus.PauseRequested => "RUNNING",
        RunStatus.Succeeded => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Cancelled => "KILLED",
        _ => "RUNNING",
    };

    public static RunStatus FromMlflow(string status) => status.ToUpperInvariant() switch
    {
        "RUNNING" or "1" => RunStatus.Running,
        "SCHEDULED" or "2" => RunStatus.Queued,
        "FINISHED" or "3" => RunStatus.Succeeded,
        "FAILED" or "4" => RunStatus.Failed,
        "KILLED" or "5" => RunStatus.Cancelled,
        _ => throw MlflowException.Invalid($"Invalid value '{status}' for parameter 'status': RUNNING, SCHEDULED, FINISHED, FAILED or KILLED."),
    };
}
