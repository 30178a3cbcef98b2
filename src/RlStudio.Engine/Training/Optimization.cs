using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>The backward/clip/step sequence every algorithm shares.</summary>
internal static class Optimization
{
    /// <summary>Back-propagates <paramref name="loss"/>, clips the gradient norm, steps AdamW; returns the pre-clip norm.</summary>
    public static double Update(TrainingContext context, Tensor loss)
    {
        context.Optimizer.zero_grad();
        loss.backward();
        var norm = context.Options.MaxGradNorm > 0
            ? nn.utils.clip_grad_norm_(context.Trainable, context.Options.MaxGradNorm)
            : double.NaN;
        context.Optimizer.step();
        return norm;
    }
}
