using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// Teacher-forced rows (prompt prefix, e.g. BOS) + prompt + completion + EOS in the run's tokenizer, right-padded: (B, T) tokens, the (B, T − 1) mask of
/// targets that belong to the completion or EOS, and each row's last token index (the EOS). Owns its tensors.
/// </summary>
internal sealed class CompletionBatch : IDisposable
{
    private CompletionBatch(Tensor tokens, Tensor lossMask, Tensor lastIndex)
    {
        Tokens = tokens;
        LossMask = lossMask;
        LastIndex = lastIndex;
    }

    /// <summary>(B, T) long.</summary>
    public Tensor Tokens { get; }

    /// <summary>(B, T − 1) float: 1 where the target (column j + 1) is a completion token or EOS.</summary>
    public Tensor LossMask { get; }

    /// <summary>(B) long: column of each row's last real token.</summary>
    public Tensor LastIndex { get; }

    /// <summary>The encoded row, or null when it exceeds <paramref name="maxSeq"/>.</summary>
    public static int[]? Encode(ITokenizer tokenizer, string prompt, string completion, int maxSeq)
    {
        int[] row = [.. tokenizer.EncodePrompt(prompt), .. tokenizer.Encode(completion), tokenizer.EosId];
        return row.Length <= maxSeq ? row : null;
    }

    public static CompletionBatch Build(ITokenizer tokenizer, IReadOnlyList<(string Prompt, string Completion)> rows, Device device, int maxSeq)
    {
        var encoded = rows.Select(r => Encode(tokenizer, r.Prompt, r.Completion, maxSeq)
            ?? throw new InvalidOperationException($"An example is longer than the model's MaxSeq ({maxSeq}) tokens.")).ToArray();
        var promptLengths = rows.Select(r => tokenizer.EncodePrompt(r.Prompt).Length).ToArray();
        var (tokens, _) = PaddedBatch.RightPad(encoded, device, tokenizer.PadId);
        var width = (int)tokens.shape[1] - 1;
        var mask = new float[encoded.Length * width];
        for (var i = 0; i < encoded.Length; i++)
        {
            for (var j = promptLengths[i] - 1; j < encoded[i].Length - 1; j++) mask[i * width + j] = 1;
        }
        var lossMask = tensor(mask, [encoded.Length, width]).to(device);
        var lastIndex = tensor(encoded.Select(r => (long)r.Length - 1).ToArray()).to(device);
        return new CompletionBatch(tokens, lossMask, lastIndex);
    }

    /// <summary>Chosen rows then rejected rows: 2·pairs rows.</summary>
    public static CompletionBatch Pairs(ITokenizer tokenizer, IReadOnlyList<PreferenceExample> pairs, Device device, int maxSeq) =>
        Build(tokenizer, [.. pairs.Select(p => (p.Prompt, p.Chosen)), .. pairs.Select(p => (p.Prompt, p.Rejected))], device, maxSeq);

    /// <summary>Σ over completion tokens of log p(token) under <paramref name="model"/>: (B).</summary>
    public Tensor SequenceLogProbs(CausalLm model)
    {
        var t = Tokens.shape[1] - 1;
        using var inputs = Tokens.narrow(1, 0, t);
        using var targets = Tokens.narrow(1, 1, t);
        using var rawLogits = model.call(inputs);                // (B, T − 1, V)
        using var logits = rawLogits.to(ScalarType.Float32);     // losses run in float32
        using var logp = TokenLogProbs.OfChosen(logits, targets);
        return MaskedMath.Sum(logp, LossMask, 1);
    }

    /// <summary>The scalar head's score at each row's last token: (B).</summary>
    public Tensor LastTokenScores(CausalLm model, ScalarHead head)
    {
        using var rawHidden = model.Hidden(Tokens);              // (B, T, C)
        using var hidden = rawHidden.to(ScalarType.Float32);     // the head stays float32
        return head.AtPositions(hidden, LastIndex);
    }

    public void Dispose()
    {
        Tokens.Dispose();
        LossMask.Dispose();
        LastIndex.Dispose();
    }
}
