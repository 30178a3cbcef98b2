using static TorchSharp.torch;

namespace RlStudio.Engine.Sampling;

/// <summary>
/// Output of <see cref="Sampler.Generate"/>; owns its tensors. Prompts are left-padded to
/// <see cref="PromptLength"/>; the completion part is <see cref="CompletionLength"/> tokens wide.
/// </summary>
public sealed class GenerationResult : IDisposable
{
    internal GenerationResult(Tensor sequences, Tensor attentionMask, Tensor completionMask, Tensor logProbs, int promptLength,
        Tokenization.ITokenizer tokenizer)
    {
        Sequences = sequences;
        AttentionMask = attentionMask;
        CompletionMask = completionMask;
        LogProbs = logProbs;
        PromptLength = promptLength;
        using var completion = sequences.narrow(1, promptLength, sequences.shape[1] - promptLength).cpu();
        var width = (int)completion.shape[1];
        var flat = completion.data<long>().ToArray();
        using var maskCpu = completionMask.cpu();
        var maskFlat = maskCpu.data<float>().ToArray();
        var rows = (int)completion.shape[0];
        var tokens = new long[rows][];
        for (var i = 0; i < rows; i++)
        {
            var n = 0;
            while (n < width && maskFlat[i * width + n] > 0) n++;
            tokens[i] = flat.AsSpan(i * width, n).ToArray();
        }
        CompletionTokens = tokens;
        CompletionTexts = tokens.Select(t => tokenizer.Decode(t)).ToArray();
    }

    /// <summary>(B, P + N) prompt (left-padded) and completion tokens (PAD after EOS).</summary>
    public Tensor Sequences { get; }

    /// <summary>(B, P + N) bool: false for left padding and for padding after EOS.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>(B, N) float 1/0: generated tokens up to and including EOS.</summary>
    public Tensor CompletionMask { get; }

    /// <summary>(B, N) float: log-prob of each chosen token under the temperature-scaled model (0 where masked).</summary>
    public Tensor LogProbs { get; }

    public int PromptLength { get; }

    public int CompletionLength => (int)CompletionMask.shape[1];

    /// <summary>Per row, the generated token ids (EOS included when produced).</summary>
    public IReadOnlyList<long[]> CompletionTokens { get; }

    /// <summary>Per row, the generated text (up to EOS).</summary>
    public IReadOnlyList<string> CompletionTexts { get; }

    public void Dispose()
    {
        Sequences.Dispose();
        AttentionMask.Dispose();
        CompletionMask.Dispose();
        LogProbs.Dispose();
    }
}
