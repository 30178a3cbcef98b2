using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Model;

public sealed class CausalLmTests
{
    internal static CausalLm TinyModel(long seed = 1, ModelConfig? config = null)
    {
        var model = new CausalLm(config ?? ModelConfig.Tiny);
        using var generator = new Generator((ulong)seed, CPU);
        model.InitializeWeights(generator);
        return model;
    }

    [Fact]
    public void Forward_TinyPreset_ReturnsLogitsPerToken()
    {
        using var model = TinyModel();
        using var tokens = tensor(new long[] { ByteTokenizer.Bos, 49, 43, 50, 61 }).unsqueeze(0);
        using var logits = model.call(tokens);
        Assert.Equal(new long[] { 1, 5, ByteTokenizer.VocabularySize }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
        Assert.InRange(model.ParameterCount, 300_000, 1_000_000);
    }

    [Fact]
    public void Constructor_SmallPreset_HasAboutTenMillionParameters()
    {
        using var model = new CausalLm(ModelConfig.Small);
        Assert.InRange(model.ParameterCount, 10_000_000, 14_000_000);
    }

    [Fact]
    public void Forward_LeftPaddedRow_MatchesUnpaddedRow()
    {
        using var model = TinyModel();
        int[] shortPrompt = [ByteTokenizer.Bos, 55, 43, 56, 61];
        int[] longPrompt = [ByteTokenizer.Bos, 49, 50, 43, 51, 52, 61];
        var (tokens, mask) = PaddedBatch.LeftPad([shortPrompt, longPrompt], CPU);
        using var _t = tokens;
        using var _m = mask;
        using var positions = PaddedBatch.Positions(mask);
        using var padded = model.Forward(tokens, positions, mask, null);
        using var alone = model.call(tensor(shortPrompt.Select(x => (long)x).ToArray()).unsqueeze(0));
        using var paddedLast = padded[0, -1];
        using var aloneLast = alone[0, -1];
        Assert.True(paddedLast.allclose(aloneLast, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Generate_GreedyWithAndWithoutKvCache_GiveIdenticalTokens()
    {
        using var model = TinyModel(seed: 7, ModelConfig.Tiny with { TieEmbeddings = false });
        List<int[]> prompts = [ByteTokenizer.EncodePrompt("12+7="), ByteTokenizer.EncodePrompt("345+678="), ByteTokenizer.EncodePrompt("9+9=")];
        var options = new SamplingOptions { MaxNewTokens = 12, Temperature = 0 };
        using var cached = Sampler.Generate(model, prompts, options, null);
        using var recomputed = Sampler.Generate(model, prompts, options with { UseKvCache = false }, null);
        Assert.True(cached.Sequences.eq(recomputed.Sequences).all().item<bool>());
        Assert.True(cached.LogProbs.allclose(recomputed.LogProbs, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(12, cached.CompletionLength);
    }

    [Fact]
    public void Generate_SameGeneratorSeed_SameSamples()
    {
        using var model = TinyModel();
        List<int[]> prompts = [ByteTokenizer.EncodePrompt("1+2="), ByteTokenizer.EncodePrompt("10+20=")];
        var options = new SamplingOptions { MaxNewTokens = 6, Temperature = 1.0, TopK = 50, TopP = 0.9 };
        using var g1 = new Generator(42, CPU);
        using var g2 = new Generator(42, CPU);
        using var a = Sampler.Generate(model, prompts, options, g1);
        using var b = Sampler.Generate(model, prompts, options, g2);
        Assert.True(a.Sequences.eq(b.Sequences).all().item<bool>());
        Assert.True(a.LogProbs.le(0).all().item<bool>());
    }

    [Fact]
    public void Decode_AnyUtf8_RoundTrips()
    {
        const string text = "héllo → 世界 42";
        Assert.Equal(text, ByteTokenizer.Decode(ByteTokenizer.EncodePrompt(text).Select(x => (long)x)));
    }
}
