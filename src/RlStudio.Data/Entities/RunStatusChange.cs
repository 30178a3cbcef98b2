using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Entities;

/// <summary>
/// One status a run entered (table <c>run_status_changes</c>), written by a database trigger on <c>runs.status</c> (see the
/// RunHistory migration), so every transition is kept whichever code path made it: the step and worker at that moment,
/// and the error a failure carried.
/// </summary>
public sealed class RunStatusChange
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public RunStatus Status { get; set; }
    public int Step { get; set; }
    public string? Worker { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset At { get; set; }
}
