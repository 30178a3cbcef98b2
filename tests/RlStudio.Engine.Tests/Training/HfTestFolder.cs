using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tests.HuggingFace;
using RlStudio.Engine.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Training;

/// <summary>
/// A temporary Hugging Face folder: a small random-weight Llama (untied head) with the tests' real byte-level BPE
/// tokenizer.json (merges learned from <see cref="TinyBpe.Corpus"/>); deleted on dispose.
/// </summary>
internal sealed class HfTestFolder : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("rlstudio-hftrain-").FullName;

    public HfTestFolder(long seed = 11)
    {
        Tokenizer = ByteLevelBpeTokenizer.FromJson(TinyBpe.Json(40));
        var config = ModelConfig.Tiny with
        {
            VocabSize = Tokenizer.VocabularySize, DModel = 64, Heads = 4, KvHeads = 2, FfnHidden = 96, TieEmbeddings = false,
            MaxSeq = 64,
        };
        using var model = new CausalLm(config);
        using var generator = new Generator((ulong)seed, CPU);
        model.InitializeWeights(generator);
        HfModelFolder.Export(model, Tokenizer, Path);
    }

    public string Path => System.IO.Path.Combine(root, "base");

    public ByteLevelBpeTokenizer Tokenizer { get; }

    /// <summary>A fresh folder path under this one (not created).</summary>
    public string NewPath(string name) => System.IO.Path.Combine(root, name);

    /// <summary>Short sentences of the corpus, so the BPE merges apply.</summary>
    public static IReadOnlyList<PromptExample> Data { get; } =
    [
        new("the cat", " sat on the mat."), new("the dog", " ate the hat;"),
        new("then the cat", " and the dog"), new("12 + 34 =", " 46."),
    ];

    public static Tensor Logits(CausalLm model, int[] tokens)
    {
        using var noGrad = no_grad();
        using var input = tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0);
        return model.call(input);
    }

    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var same = a.eq(b);
        using var all = same.all();
        return all.item<bool>();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
