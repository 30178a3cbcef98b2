using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// The sampler's returned log-probs are the trainer's teacher-forced ones (what PPO/GRPO use as "old" when μ = 1) on
/// left-padded prompts of different lengths: log softmax(logits / T) of the chosen token, the temperature-scaled
/// distribution before top-k/top-p filtering. The filters only decide which tokens can be drawn.
/// </summary>
public sealed class SamplerParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(1.0, 0, 1.0, true)]
    [InlineData(0.7, 0, 1.0, true)]
    [InlineData(1.0, 20, 1.0, true)]
    [InlineData(0.7, 20, 0.9, true)]
    [InlineData(0.7, 0, 0.8, true)]
    [InlineData(1.0, 20, 0.9, false)]      // recomputing the prefix each step, no KV cache
    public void SamplerLogProbs_LeftPaddedPromptsOfDifferentLengths_EqualTeacherForcedLogProbs(
        double temperature, int topK, double topP, bool kvCache)
    {
        var (model, head) = ParityModel.Create(ParityModel.Config(tied: false, bias: true, kvHeads: 2, theta: 10_000), seed: 31);
        using var _model = model;
        using var _head = head;
        MakeEosLikely(model);
        var random = new Random(5);
        var prompts = new[] { 2, 7, 4, 11, 1, 5 }
            .Select(n => (int[])[ByteTokenizer.Bos, .. Enumerable.Range(0, n).Select(_ => random.Next(0, 256))]).ToArray();
        var options = new SamplingOptions { MaxNewTokens = 10, Temperature = temperature, TopK = topK, TopP = topP, UseKvCache = kvCache };
        using var generator = new Generator(17, CPU);
        using var generated = Sampler.Generate(model, prompts, options, generator);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = ParityModel.TeacherForcedLogits(model, generated.Sequences, generated.AttentionMask, generated.PromptLength, temperature);
        var completion = generated.Sequences.narrow(1, generated.PromptLength, generated.CompletionLength);
        var teacherForced = logits.log_softmax(-1).gather(-1, completion.unsqueeze(-1)).squeeze(-1);
        var error = ParityModel.MaxAbsError(generated.LogProbs, teacherForced, generated.CompletionMask);
        var lengths = generated.CompletionTokens.Select(t => t.Length).ToArray();
        output.WriteLine($"T {temperature}, top-k {topK}, top-p {topP}, cache {kvCache}: completion lengths [{string.Join(", ", lengths)}], " +
                         $"max |sampler − teacher-forced| = {error:E3}");

        Assert.True(lengths.Distinct().Count() > 1, "Completions of different lengths (EOS inside the batch) are part of the check.");
        Assert.True(error <= Tolerance, $"Sampler log-probs differ from the teacher-forced ones by {error:E3} (> {Tolerance:E0}).");
        AssertDrawnFromFilteredSet(logits, completion, generated.CompletionMask, topK, topP);
    }

    /// <summary>Every drawn token is among the top k (by scaled logit) and inside the nucleus of the top-k-renormalised distribution.</summary>
    private static void AssertDrawnFromFilteredSet(Tensor scaled, Tensor chosen, Tensor mask, int topK, double topP)
    {
        var chosenLogit = scaled.gather(-1, chosen.unsqueeze(-1));                                      // (B, N, 1)
        var better = scaled.gt(chosenLogit);                                                           // strictly more likely tokens
        var valid = mask.to(ScalarType.Bool);
        if (topK > 0)
        {
            var rank = better.sum(-1);                                                                 // (B, N)
            Assert.True(rank.masked_select(valid).lt(topK).all().item<bool>(), $"A token outside the top {topK} was drawn.");
        }
        if (topP < 1)
        {
            var kept = topK > 0 ? scaled.masked_fill(scaled.lt(scaled.topk(topK, -1).values.narrow(-1, topK - 1, 1)), float.NegativeInfinity) : scaled;
            var probs = kept.softmax(-1);
            var massBefore = (probs * better.to(probs.dtype)).sum(-1);
            Assert.True(massBefore.masked_select(valid).le(topP + 1e-5).all().item<bool>(), $"A token outside the top-p {topP} nucleus was drawn.");
        }
    }

    /// <summary>
    /// Residual dimension 0 becomes a constant positive feature (every embedding 3 there, no layer writes to it) and only EOS reads
    /// it, so EOS gets a steady logit bonus and rows finish at different steps.
    /// </summary>
    private static void MakeEosLikely(CausalLm model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        p["embed_tokens.weight"].select(1, 0).fill_(3.0);
        for (var i = 0; i < model.Config.Layers; i++)
        {
            p[$"layers.{i}.self_attn.o_proj.weight"].select(0, 0).zero_();
            p[$"layers.{i}.mlp.down_proj.weight"].select(0, 0).zero_();
        }
        var lmHead = p["lm_head.weight"];
        lmHead.select(1, 0).zero_();
        lmHead.select(0, ByteTokenizer.Eos).select(0, 0).fill_(3.5);
    }
}
