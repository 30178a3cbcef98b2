namespace RlStudio.Data.Entities;

/// <summary>A file an external run logged as an MLflow artifact (<c>log_text</c>, <c>log_dict</c>, <c>log_table</c>, …), kept in PostgreSQL.</summary>
public sealed class RunArtifact
{
    public long RunId { get; set; }

    /// <summary>Relative to the run's artifact root, '/'-separated ("samples/step_10.json").</summary>
    public required string Path { get; set; }

    public required byte[] Content { get; set; }
    public long Size { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
