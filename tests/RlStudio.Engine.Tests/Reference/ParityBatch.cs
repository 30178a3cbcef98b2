using System.Text.Json;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// The fixed inputs of the parity test, built from a seed: a left-padded policy batch (8 completions in groups of 4,
/// prompts of 2..7 tokens, completions of 1..6 tokens with PAD after EOS) with rewards and perturbed old/reference
/// log-probs and old values, and 3 right-padded preference pairs with reference log-probs. Owns its tensors.
/// </summary>
internal sealed class ParityBatch : IDisposable
{
    public const int GroupSize = 4;
    public const double Temperature = 0.8;

    private static readonly int[] PromptLengths = [3, 5, 2, 7, 4, 6, 3, 5];
    private static readonly int[] CompletionLengths = [6, 3, 1, 4, 6, 2, 5, 6];
    private static readonly double[] RewardValues = [1, 0, 0.5, 1, 0.2, 0.9, 0.4, 0.5];
    private static readonly (int Prompt, int Chosen, int Rejected)[] PairLengths = [(3, 4, 3), (5, 2, 6), (2, 5, 1)];

    private readonly List<Tensor> owned = [];

    /// <summary>(B, P + N) long, left-padded prompts then completions.</summary>
    public Tensor Sequences { get; private init; } = null!;
    /// <summary>(B, P + N) bool.</summary>
    public Tensor Attention { get; private init; } = null!;
    public int PromptLength { get; private init; }
    /// <summary>(B, N) float32.</summary>
    public Tensor CompletionMask { get; private init; } = null!;
    /// <summary>(B) float64, group by group.</summary>
    public Tensor Rewards { get; private init; } = null!;
    /// <summary>(B, N) in the model's dtype, 0 off the mask.</summary>
    public Tensor Old { get; private set; } = null!;
    public Tensor Reference { get; private set; } = null!;
    public Tensor OldValues { get; private set; } = null!;

    /// <summary>(2·pairs, T) long, chosen rows then rejected rows, right-padded.</summary>
    public Tensor PairTokens { get; private init; } = null!;
    public Tensor PairAttention { get; private init; } = null!;
    /// <summary>(2·pairs, T − 1) float32: 1 where the target is a completion token.</summary>
    public Tensor PairLossMask { get; private init; } = null!;
    /// <summary>(2·pairs) long.</summary>
    public Tensor PairLastIndex { get; private init; } = null!;
    /// <summary>(2·pairs) summed reference log-probs, in the model's dtype.</summary>
    public Tensor PairReference { get; private set; } = null!;

    /// <summary>The engine's own forward outputs (no grad): log-probs and values (B, N), pair log-probs and scores (2·pairs).</summary>
    public Tensor EngineLogp { get; private set; } = null!;
    public Tensor EngineValues { get; private set; } = null!;
    public Tensor EnginePairLogp { get; private set; } = null!;
    public Tensor EnginePairScores { get; private set; } = null!;

    public int Pairs => PairLengths.Length;

    public static ParityBatch Create(CausalLm model, ScalarHead head, ulong seed)
    {
        var random = new Random((int)seed);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(0, 256)).ToArray();

        var prompts = PromptLengths.Select(n => (int[])[ByteTokenizer.Bos, .. Tokens(n - 1)]).ToArray();
        var (promptTokens, promptMask) = PaddedBatch.LeftPad(prompts, CPU);
        var n = CompletionLengths.Max();
        var completion = new long[PromptLengths.Length * n];
        var mask = new float[completion.Length];
        for (var i = 0; i < PromptLengths.Length; i++)
        {
            var tokens = Tokens(n);
            for (var j = 0; j < n; j++)
            {
                var inside = j < CompletionLengths[i];
                var eos = j == CompletionLengths[i] - 1 && CompletionLengths[i] < n;
                completion[i * n + j] = inside ? eos ? ByteTokenizer.Eos : tokens[j] : ByteTokenizer.Pad;
                mask[i * n + j] = inside ? 1 : 0;
            }
        }
        using var completionTokens = tensor(completion, [PromptLengths.Length, n]);
        var completionMask = tensor(mask, [PromptLengths.Length, n]);
        using var completionValid = completionMask.to(ScalarType.Bool);

        var pairRows = PairLengths.Select(l => (int[])[ByteTokenizer.Bos, .. Tokens(l.Prompt - 1 + l.Chosen)])
            .Concat(PairLengths.Select(l => (int[])[ByteTokenizer.Bos, .. Tokens(l.Prompt - 1 + l.Rejected)])).ToArray();
        var pairPrompts = PairLengths.Select(l => l.Prompt).Concat(PairLengths.Select(l => l.Prompt)).ToArray();
        var (pairTokens, pairAttention) = PaddedBatch.RightPad(pairRows, CPU);
        var width = (int)pairTokens.shape[1] - 1;
        var lossMask = new float[pairRows.Length * width];
        for (var i = 0; i < pairRows.Length; i++)
        {
            for (var j = pairPrompts[i] - 1; j < pairRows[i].Length - 1; j++) lossMask[i * width + j] = 1;
        }

        var batch = new ParityBatch
        {
            Sequences = cat([promptTokens, completionTokens], 1),
            Attention = cat([promptMask, completionValid], 1),
            PromptLength = (int)promptTokens.shape[1],
            CompletionMask = completionMask,
            Rewards = tensor(RewardValues, dtype: ScalarType.Float64),
            PairTokens = pairTokens,
            PairAttention = pairAttention,
            PairLossMask = tensor(lossMask, [pairRows.Length, width]),
            PairLastIndex = tensor(pairRows.Select(r => (long)r.Length - 1).ToArray()),
        };
        promptTokens.Dispose();
        promptMask.Dispose();
        batch.Perturb(model, head, seed);
        batch.owned.AddRange([batch.Sequences, batch.Attention, batch.CompletionMask, batch.Rewards, batch.Old, batch.Reference,
            batch.OldValues, batch.PairTokens, batch.PairAttention, batch.PairLossMask, batch.PairLastIndex, batch.PairReference,
            batch.EngineLogp, batch.EngineValues, batch.EnginePairLogp, batch.EnginePairScores]);
        return batch;
    }

    /// <summary>Old and reference log-probs and old values: the model's own, plus seeded noise (so ratios clip and KL is not 0).</summary>
    private void Perturb(CausalLm model, ScalarHead head, ulong seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(seed + 1, CPU);
        using var scope = NewDisposeScope();
        var (logp, values) = ParityModel.TeacherForced(model, head, Sequences, Attention, PromptLength, Temperature);
        Old = ((logp + randn(logp.shape, generator: generator) * 0.3) * CompletionMask).MoveToOuterDisposeScope();
        Reference = ((logp + randn(logp.shape, generator: generator) * 0.2) * CompletionMask).MoveToOuterDisposeScope();
        OldValues = ((values! + randn(logp.shape, generator: generator) * 0.3) * CompletionMask).MoveToOuterDisposeScope();
        var pairLogp = SequenceLogProbs(model);
        PairReference = (pairLogp + randn(pairLogp.shape, generator: generator) * 0.5).MoveToOuterDisposeScope();
        EngineLogp = logp.MoveToOuterDisposeScope();
        EngineValues = values!.MoveToOuterDisposeScope();
        EnginePairLogp = pairLogp.MoveToOuterDisposeScope();
        EnginePairScores = PairScores(model, head).MoveToOuterDisposeScope();
    }

    /// <summary>Σ over the loss mask of log p(target), as the preference trainer computes it (plain causal pass): (2·pairs).</summary>
    public Tensor SequenceLogProbs(CausalLm model)
    {
        using var scope = NewDisposeScope();
        var t = PairTokens.shape[1] - 1;
        var logits = model.call(PairTokens.narrow(1, 0, t));
        var logp = TokenLogProbs.OfChosen(logits, PairTokens.narrow(1, 1, t));
        return MaskedMath.Sum(logp, PairLossMask, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The head's score at each pair row's last token, as the reward-model trainer computes it: (2·pairs).</summary>
    public Tensor PairScores(CausalLm model, ScalarHead head)
    {
        using var hidden = model.Hidden(PairTokens);
        return head.AtPositions(hidden, PairLastIndex);
    }

    /// <summary>batch.json for the reference: every input as exact doubles (float32 values widened), plus the variants.</summary>
    public void WriteJson(string path, IReadOnlyList<LossVariant> variants)
    {
        var spec = new Dictionary<string, object>
        {
            ["temperature"] = Temperature,
            ["group_size"] = GroupSize,
            ["policy"] = new Dictionary<string, object>
            {
                ["sequences"] = Longs(Sequences), ["attention_mask"] = Longs(Attention), ["prompt_length"] = PromptLength,
                ["completion_mask"] = Doubles(CompletionMask), ["old_logp"] = Doubles(Old), ["ref_logp"] = Doubles(Reference),
                ["old_values"] = Doubles(OldValues), ["rewards"] = Doubles(Rewards),
            },
            ["pairs"] = new Dictionary<string, object>
            {
                ["tokens"] = Longs(PairTokens), ["attention_mask"] = Longs(PairAttention), ["loss_mask"] = Doubles(PairLossMask),
                ["last_index"] = Longs(PairLastIndex), ["ref_logp"] = Doubles(PairReference),
            },
            ["engine"] = new Dictionary<string, object>
            {
                ["logp"] = Doubles(EngineLogp), ["values"] = Doubles(EngineValues), ["pair_logp"] = Doubles(EnginePairLogp),
                ["pair_scores"] = Doubles(EnginePairScores),
            },
            ["variants"] = variants.Select(v => v.ToJson()).ToArray(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(spec));
    }

    private static object Longs(Tensor t)
    {
        using var values = t.to(ScalarType.Int64);
        var flat = values.data<long>().ToArray();
        return Rows(flat, t);
    }

    private static object Doubles(Tensor t)
    {
        using var values = t.to(ScalarType.Float64);
        var flat = values.data<double>().ToArray();
        return Rows(flat, t);
    }

    private static object Rows<T>(T[] flat, Tensor t)
    {
        if (t.dim() == 1) return flat;
        var width = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(i => flat.AsSpan(i * width, width).ToArray()).ToArray();
    }

    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
    }
}
