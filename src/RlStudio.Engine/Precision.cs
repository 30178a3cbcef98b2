namespace RlStudio.Engine;

/// <summary>Numeric precision of a run's forward and backward passes.</summary>
public enum Precision
{
    /// <summary>Everything in float32.</summary>
    Float32,

    /// <summary>
    /// Mixed precision: float32 master weights and AdamW state (what checkpoints store); forward and backward run on a
    /// bfloat16 working copy of the policy, losses are computed in float32 and the gradients are applied to the master
    /// in float32. Meant for CUDA; it also runs on the CPU (slower, used by tests).
    /// </summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("bfloat16")]
    BFloat16,
}
