namespace RlStudio.Contracts.Runs;

/// <summary>A stored checkpoint of a run (content is fetched separately).</summary>
public sealed record CheckpointDto(long Id, long RunId, int Step, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);
