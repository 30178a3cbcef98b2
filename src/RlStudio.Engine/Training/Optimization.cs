using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>The backward/clip/step sequence every algorithm shares.</summary>
internal static class Optimization
{
    /// <summary>
    /// Back-propagates <paramref name="loss"/>, clips the gradient norm, steps AdamW; returns the pre-clip norm. Under
    /// mixed precision the working copy's gradients reach the float32 master before clipping, and the working copy
    /// takes the updated weights after the step.
    /// </summary>
    public static double Update(TrainingContext context, Tensor loss)
    {
        var mixed = context.MixedPrecision;
        context.Optimizer.zero_grad();
        mixed?.ZeroWorkingGradients();
        loss.backward();
        mixed?.CopyGradientsToMaster();
        var norm = context.Options.MaxGradNorm > 0
            ? nn.utils.clip_grad_norm_(context.Trainable, context.Options.MaxGradNorm)
            : double.NaN;
        context.Optimizer.step();
        mixed?.RefreshFromMaster();
        return norm;
    }
}
