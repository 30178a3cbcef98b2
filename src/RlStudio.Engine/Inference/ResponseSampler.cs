using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using RlStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Inference;

/// <summary>
/// A model loaded to answer prompts outside training (e.g. the two responses of a comparison batch): a preset, a
/// checkpoint (a LoRA one merged) or a Hugging Face folder, on the GPU when there is one. Not thread-safe.
/// </summary>
public sealed class ResponseSampler : IDisposable
{
    /// <summary>Prompts generated at once.</summary>
    public const int ChunkPrompts = 64;

    private readonly CausalLm model;

    private ResponseSampler(CausalLm model, ITokenizer tokenizer)
    {
        this.model = model;
        Tokenizer = tokenizer;
    }

    public ITokenizer Tokenizer { get; }

    /// <summary>Loads <paramref name="source"/>; a preset is initialized from <paramref name="seed"/>.</summary>
    public static ResponseSampler Load(ModelSource source, long seed)
    {
        var (model, tokenizer) = BaseModel.Load(source, new TrainerOptions { Seed = seed });
        var placed = model.to(ComputeDevice.Best());
        placed.eval();
        return new ResponseSampler(placed, tokenizer);
    }

    /// <summary>One completion per prompt, in order, drawn from a generator seeded with <paramref name="seed"/> (repeatable).</summary>
    public IReadOnlyList<string> Sample(IReadOnlyList<string> prompts, SamplingOptions sampling, long seed)
    {
        var device = model.parameters().First().device;
        using var generator = new Generator(unchecked((ulong)seed), device);
        var texts = new List<string>(prompts.Count);
        foreach (var chunk in prompts.Chunk(ChunkPrompts))
        {
            using var generated = Sampler.Generate(model, chunk.Select(Tokenizer.EncodePrompt).ToArray(), sampling,
                sampling.Temperature > 0 ? generator : null, Tokenizer);
            texts.AddRange(generated.CompletionTexts);
        }
        return texts;
    }

    public void Dispose() => model.Dispose();
}
