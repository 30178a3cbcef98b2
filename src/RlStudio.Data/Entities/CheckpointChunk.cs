namespace RlStudio.Data.Entities;

/// <summary>Part <see cref="Index"/> (0, 1, …) of a checkpoint's content.</summary>
public sealed class CheckpointChunk
{
    public long CheckpointId { get; set; }
    public int Index { get; set; }
    public required byte[] Data { get; set; }
}
