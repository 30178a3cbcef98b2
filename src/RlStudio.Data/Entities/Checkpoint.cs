namespace RlStudio.Data.Entities;

/// <summary>A run's saved state at one step; the bytes are in <see cref="CheckpointChunk"/>s.</summary>
public sealed class Checkpoint
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Step { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Lowercase hex SHA-256 of the content.</summary>
    public required string Sha256 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
