namespace RlStudio.Engine.Model;

/// <summary>Low-rank adapters (Hu et al. 2021) on chosen linear layers: W x + (alpha / rank) · B A x, B starting at zero.</summary>
public sealed record LoraOptions
{
    /// <summary>Adapter rank r. Default 8.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Scale numerator: the update is multiplied by alpha / rank. Default 16.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>
    /// Linear layers that get adapters, by field name (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj,
    /// down_proj). Default q_proj and v_proj, as in the paper and PEFT.
    /// </summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];

    [System.Text.Json.Serialization.JsonIgnore]
    public double Scale => Alpha / Rank;

    public static IReadOnlyList<string> KnownModules { get; } =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public bool Targets(string module) => TargetModules.Contains(module);

    /// <summary>Throws <see cref="ArgumentException"/> with <see cref="FirstError"/> when the options are invalid.</summary>
    public void Validate()
    {
        if (FirstError() is { } error) throw new ArgumentException(error);
    }

    /// <summary>The first validation message, or null when the options are valid.</summary>
    public string? FirstError()
    {
        if (Rank < 1) return "LoRA rank must be at least 1.";
        if (!(Alpha > 0)) return "LoRA alpha must be positive.";
        if (TargetModules is null || TargetModules.Count == 0) return "LoRA needs at least one target module.";
        var unknown = TargetModules.Except(KnownModules).ToArray();
        if (unknown.Length > 0)
            return $"Unknown LoRA target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", KnownModules)}.";
        if (TargetModules.Distinct().Count() != TargetModules.Count) return "LoRA target modules must not repeat.";
        return null;
    }

    // Records compare lists by reference; configs (which hold these options) must compare by value.
    public bool Equals(LoraOptions? other) =>
        other is not null && Rank == other.Rank && Alpha.Equals(other.Alpha) && TargetModules.SequenceEqual(other.TargetModules);

    public override int GetHashCode() => HashCode.Combine(Rank, Alpha, string.Join(",", TargetModules));
}
