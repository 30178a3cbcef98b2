using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>Builds a model's linear layers: plain, or with a LoRA adapter when the config targets the layer.</summary>
internal static class Projection
{
    public static nn.Module<Tensor, Tensor> Create(ModelConfig config, string field, int inFeatures, int outFeatures, bool hasBias) =>
        config.Lora is { } lora && lora.Targets(field)
            ? new LoraLinear(inFeatures, outFeatures, hasBias, lora)
            : nn.Linear(inFeatures, outFeatures, hasBias);
}
