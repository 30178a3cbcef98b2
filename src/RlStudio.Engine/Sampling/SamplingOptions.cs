namespace RlStudio.Engine.Sampling;

/// <summary>How <see cref="Sampler"/> picks tokens.</summary>
public sealed record SamplingOptions
{
    /// <summary>Most tokens generated per completion (EOS included). Default 8.</summary>
    public int MaxNewTokens { get; init; } = 8;

    /// <summary>Softmax temperature; 0 is greedy (argmax). Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 keeps all. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set whose probability reaches p; 1 keeps all. Default 1.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Stop a row at EOS (false generates exactly <see cref="MaxNewTokens"/>, e.g. for benchmarks). Default true.</summary>
    public bool StopAtEos { get; init; } = true;

    /// <summary>Use the KV cache (false recomputes the whole prefix every step; for tests). Default true.</summary>
    public bool UseKvCache { get; init; } = true;

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentException("MaxNewTokens must be at least 1.");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentException("Temperature must be ≥ 0 (0 is greedy).");
        if (TopK < 0) throw new ArgumentException("TopK must be ≥ 0 (0 disables it).");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException("TopP must be in (0, 1].");
    }
}
