namespace RlStudio.Contracts.Models;

/// <summary>
/// A rough (±50%) estimate of a run's training memory in bytes, float32, by what holds it: trained weights, their
/// gradients, AdamW's two moments, the frozen reference copy, the scalar head, and one step's activations
/// (every row assumed <c>MaxSeq</c> tokens long). Allocator overhead and the CUDA context are not included.
/// </summary>
public sealed record MemoryEstimateDto(
    long Parameters,
    long WeightBytes,
    long GradientBytes,
    long OptimizerBytes,
    long ReferenceBytes,
    long HeadBytes,
    long ActivationBytes)
{
    public long TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + ReferenceBytes + HeadBytes + ActivationBytes;
}
