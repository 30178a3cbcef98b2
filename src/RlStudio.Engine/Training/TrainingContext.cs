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

    /// <summary>Whether the algorithm has a frozen reference: a copy of the start model, or the adapter-free policy under LoRA.</summary>
    public bool HasReference => Reference is not null || (Options.NeedsReference && Policy.Config.Lora is not null);

    /// <summary>
    /// Runs <paramref name="score"/> (no gradient wanted) on the frozen reference: the reference copy, or — in a LoRA run,
    /// whose base weights never train — the compute model with its adapters switched off.
    /// </summary>
    public T OnReference<T>(Func<CausalLm, T> score)
    {
        if (Reference is not null) return score(Reference);
        if (!HasReference) throw new InvalidOperationException($"{Options.Algorithm} with these options keeps no reference model.");
        using var off = Compute.AdaptersOff();
        return score(Compute);
    }

    /// <summary>Every trained (float32 master) parameter: the policy's trainable ones (only the adapters under LoRA) and the scalar head's.</summary>
    public IReadOnlyList<Parameter> Trainable { get; } =
        [.. Policy.TrainableParameters(), .. Head?.parameters() ?? []];
}
