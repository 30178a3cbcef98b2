using System.Text.Json.Serialization;

namespace RlStudio.Contracts.Runs;

/// <summary>A checkpoint export's lifecycle. Written on the wire as the member name (<c>"Queued"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExportStatus>))]
public enum ExportStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

public static class ExportStatusExtensions
{
    /// <summary>The statuses of an export that still needs its checkpoint (retention keeps it).</summary>
    public static readonly ExportStatus[] Pending = [ExportStatus.Queued, ExportStatus.Running];

    public static bool IsTerminal(this ExportStatus status) => status is ExportStatus.Succeeded or ExportStatus.Failed;
}
