using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tokenization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>What an algorithm's step works with; owned by <see cref="Trainer"/>.</summary>
internal sealed record TrainingContext(
    TrainerOptions Options,
    CausalLm Policy,
    CausalLm? Reference,
    ScalarHead? Head,
    AdamW Optimizer,
    Generator Sampling,
    IReadOnlyList<WeightedReward> Rewards,
    ITokenizer Tokenizer,
    Device Device,
    MixedPrecisionPolicy? MixedPrecision = null)
{
    /// <summary>The model forward/backward and sampling run on: the bfloat16 working copy, or the float32 policy itself.</summary>
    public CausalLm Compute => MixedPrecision?.Working ?? Policy;

    /// <summary>Every trained (float32 master) parameter: the policy's trainable ones (only the adapters under LoRA) and the scalar head's.</summary>
    public IReadOnlyList<Parameter> Trainable { get; } =
        [.. Policy.TrainableParameters(), .. Head?.parameters() ?? []];
}
