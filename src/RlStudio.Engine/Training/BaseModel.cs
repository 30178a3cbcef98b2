using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// A new run's starting policy (CPU) and tokenizer: a seeded preset with the byte tokenizer, a checkpoint's policy
/// with its stored tokenizer, or a Hugging Face folder's weights with its tokenizer.json. A checkpoint written by a
/// LoRA run is loaded merged (W + (α/r)·BA), so a base is always a plain model; with <see cref="TrainerOptions.Lora"/>
/// fresh adapters (A from seed + 3, B zero) go on top and only they train.
/// </summary>
internal static class BaseModel
{
    public static (CausalLm Model, ITokenizer Tokenizer) Load(ModelSource source, TrainerOptions options)
    {
        var (model, tokenizer) = LoadPlain(source, options.Seed);
        if (options.Lora is null) return (model, tokenizer);
        using var plain = model;
        using var generator = new Generator(unchecked((ulong)options.Seed + 3), CPU);
        return (plain.WithLora(options.Lora, generator), tokenizer);
    }

    private static (CausalLm Model, ITokenizer Tokenizer) LoadPlain(ModelSource source, long seed) => source switch
    {
        ModelSource.Preset preset => (NewModel(ModelConfig.FromPreset(preset.Name), seed), ByteTokenizer.Instance),
        ModelSource.Checkpoint checkpoint => FromCheckpoint(checkpoint),
        ModelSource.HuggingFaceFolder folder => FromFolder(folder),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    private static CausalLm NewModel(ModelConfig config, long seed)
    {
        var model = new CausalLm(config);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        model.InitializeWeights(generator);
        return model;
    }

    private static (CausalLm, ITokenizer) FromCheckpoint(ModelSource.Checkpoint checkpoint)
    {
        using var stream = checkpoint.Open();
        var (header, model) = CheckpointFormat.ReadBase(stream);
        var tokenizer = header.CreateTokenizer();
        if (model.Config.Lora is null) return (model, tokenizer);
        using var adapted = model;
        return (adapted.MergeLora(), tokenizer);
    }

    private static (CausalLm, ITokenizer) FromFolder(ModelSource.HuggingFaceFolder folder)
    {
        if (!Directory.Exists(folder.Path)) throw new DirectoryNotFoundException($"Model folder '{folder.Path}' does not exist.");
        var loaded = HfModelFolder.Load(folder.Path);   // the trainer takes over the model
        return (loaded.Model, loaded.Tokenizer);
    }
}
