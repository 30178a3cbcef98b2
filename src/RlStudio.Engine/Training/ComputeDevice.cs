using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>Where the engine computes: the GPU when libtorch sees one, else the CPU (chosen at run time, not build time).</summary>
internal static class ComputeDevice
{
    public static Device Best() => cuda.is_available() ? CUDA : CPU;
}
