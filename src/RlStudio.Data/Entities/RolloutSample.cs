namespace RlStudio.Data.Entities;

/// <summary>One sampled completion of a training step with its rewards.</summary>
public sealed class RolloutSample
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Step { get; set; }
    /// <summary>The sample's place among its step's samples (0, 1, …): with the run and step, what makes a re-sent sample the same one.</summary>
    public int Ordinal { get; set; }
    public int Group { get; set; }
    public required string Prompt { get; set; }
    public required string Completion { get; set; }
    public string? Reference { get; set; }
    public double Reward { get; set; }
    /// <summary>Per-function rewards (null = unscorable), stored as JSONB.</summary>
    public required Dictionary<string, double?> Rewards { get; set; }
    public double? Advantage { get; set; }
    public int Tokens { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>An agentic run's episode turns, stored as JSONB; null for single-turn samples.</summary>
    public List<Contracts.Runs.EpisodeTurnDto>? Turns { get; set; }
}
