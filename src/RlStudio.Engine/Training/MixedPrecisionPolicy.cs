using RlStudio.Engine.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// The bfloat16 working copy of a float32 master policy (<see cref="Precision.BFloat16"/>): forward and backward run
/// on <see cref="Working"/>; before the optimizer step its gradients go to the master as float32, and after it the
/// master's trained weights are copied back. The master stays what AdamW updates and checkpoints store.
/// </summary>
internal sealed class MixedPrecisionPolicy : IDisposable
{
    private readonly (Parameter Master, Parameter Working)[] trained;

    /// <summary>Builds the working copy on the master's device; the caller keeps owning <paramref name="master"/>.</summary>
    public MixedPrecisionPolicy(CausalLm master, Device device)
    {
        var copy = new CausalLm(master.Config);
        copy.CopyWeightsFrom(master);
        Working = copy.to(ScalarType.BFloat16).to(device);
        var working = Working.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in master.named_parameters()) working[name].requires_grad = p.requires_grad;   // LoRA: base frozen
        trained = master.named_parameters()
            .Where(p => p.parameter.requires_grad)
            .Select(p => (p.parameter, working[p.name]))
            .ToArray();
    }

    /// <summary>The bfloat16 model that forward and backward run on.</summary>
    public CausalLm Working { get; }

    /// <summary>Drops the working copy's gradients; call before backward.</summary>
    public void ZeroWorkingGradients()
    {
        foreach (var (_, working) in trained)
        {
            using var gradient = working.grad;
            gradient?.zero_();
        }
    }

    /// <summary>Adds the working copy's gradients, as float32, to the master's (zeroed) gradients.</summary>
    public void CopyGradientsToMaster()
    {
        using var scope = NewDisposeScope();
        var masters = new List<Tensor>();
        var gradients = new List<Tensor>();
        foreach (var (master, working) in trained)
        {
            if (working.grad is not { } gradient) continue;
            masters.Add(master);
            gradients.Add(gradient.to(ScalarType.Float32));
        }
        if (masters.Count > 0) autograd.backward(masters, gradients);   // a leaf's backward accumulates into its .grad
    }

    /// <summary>Copies the master's trained weights into the working copy (rounded to bfloat16).</summary>
    public void RefreshFromMaster()
    {
        using var noGrad = no_grad();
        foreach (var (master, working) in trained) working.copy_(master);
    }

    public void Dispose() => Working.Dispose();
}
