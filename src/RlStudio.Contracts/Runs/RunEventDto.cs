namespace RlStudio.Contracts.Runs;

/// <summary>
/// One entry of a run's timeline (<c>GET /api/runs/{id}/events</c>): <see cref="Kind"/> is <c>status</c> (a status it
/// entered, with the error of a failure), <c>action</c> (what a person or key did: create, cancel, pause, continue, resume,
/// edit), <c>settings</c> (a settings change and the step it took effect), <c>checkpoint</c> or <c>alarm</c>.
/// <see cref="Who"/> is the account, key or worker behind it, when known.
/// </summary>
public sealed record RunEventDto(DateTimeOffset At, string Kind, int? Step, string Message, string? Who);

/// <summary>The kinds of <see cref="RunEventDto"/>.</summary>
public static class RunEventKind
{
    public const string Status = "status";
    public const string Action = "action";
    public const string Settings = "settings";
    public const string Checkpoint = "checkpoint";
    public const string Alarm = "alarm";
}
