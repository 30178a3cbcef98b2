using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// Preallocated key/value cache for batched decoding: per layer (B, kvHeads, capacity, headDim) tensors
/// written in place, plus which key positions are real tokens (left padding is not).
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    /// <param name="dtype">The model's weight type (bfloat16 for a mixed-precision working copy); default float32.</param>
    public KvCache(ModelConfig config, int batch, int capacity, Device device, ScalarType dtype = ScalarType.Float32)
    {
        keys = new Tensor[config.Layers];
        values = new Tensor[config.Layers];
        for (var i = 0; i < config.Layers; i++)
        {
            keys[i] = zeros(batch, config.KvHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
            values[i] = zeros(batch, config.KvHeads, capacity, config.HeadDim, dtype: dtype, device: device).DetachFromDisposeScope();
        }
        ValidKeys = zeros(batch, capacity, dtype: ScalarType.Bool, device: device).DetachFromDisposeScope();
        Capacity = capacity;
    }

    /// <summary>Tokens already written.</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    /// <summary>(B, capacity) bool: true where a written key is a real token.</summary>
    public Tensor ValidKeys { get; }

    /// <summary>Writes (B, kvHeads, T, D) keys/values of one layer at <see cref="Length"/>; returns views up to the new end.</summary>
    public (Tensor Keys, Tensor Values) Write(int layer, Tensor k, Tensor v)
    {
        var t = k.shape[2];
        using (var kSlot = keys[layer].narrow(2, Length, t)) kSlot.copy_(k);
        using (var vSlot = values[layer].narrow(2, Length, t)) vSlot.copy_(v);
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>
    /// Marks T new positions' validity (null: all real) and returns the (B, Length + T) key mask; call before the layers.
    /// </summary>
    public Tensor BeginWrite(Tensor? newValid, long t)
    {
        if (Length + t > Capacity)
            throw new InvalidOperationException($"KV cache capacity {Capacity} exceeded ({Length} + {t}).");
        using (var slot = ValidKeys.narrow(1, Length, t))
        {
            if (newValid is null) slot.fill_(true);
            else slot.copy_(newValid);
        }
        return ValidKeys.narrow(1, 0, Length + t);
    }

    /// <summary>Advances the write position after all layers have written T tokens.</summary>
    public void EndWrite(int t) => Length += t;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
        ValidKeys.Dispose();
    }
}
