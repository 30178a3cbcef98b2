using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;

namespace RlStudio.Engine.Training;

/// <summary>
/// One teacher-forced pass of a model over sampled sequences: temperature-scaled logits of the completion
/// positions (B, N, V), the sampled tokens' log-probs (B, N) and, with a head, the values V_t of the state
/// before each completion token (B, N). Owns its tensors.
/// </summary>
internal sealed class PolicyPass : IDisposable
{
    private PolicyPass(Tensor logits, Tensor logp, Tensor? values)
    {
        Logits = logits;
        LogProbs = logp;
        Values = values;
    }

    public Tensor Logits { get; }
    public Tensor LogProbs { get; }
    public Tensor? Values { get; }

    public static PolicyPass Run(CausalLm model, ScalarHead? head, GenerationResult generated, double temperature) =>
        Run(model, head, generated, temperature, new RowRange(0, generated.Sequences.shape[0]));

    /// <summary>The pass over the <paramref name="rows"/> of <paramref name="generated"/> only (a minibatch).</summary>
    public static PolicyPass Run(CausalLm model, ScalarHead? head, GenerationResult generated, double temperature, RowRange rows)
    {
        using var sequences = generated.Sequences.narrow(0, rows.Start, rows.Count);
        using var attention = generated.AttentionMask.narrow(0, rows.Start, rows.Count);
        var width = sequences.shape[1] - 1;
        using var inputs = sequences.narrow(1, 0, width);
        using var inputMask = attention.narrow(1, 0, width);
        using var positions = PaddedBatch.Positions(inputMask);
        using var hidden = model.Hidden(inputs, positions, inputMask, null);                         // (B, P + N − 1, C)
        using var completionHidden = hidden.narrow(1, generated.PromptLength - 1, generated.CompletionLength);
        using var rawLogits = model.Logits(completionHidden);                                         // (B, N, V)
        using var fullLogits = rawLogits.to(ScalarType.Float32);                                      // losses run in float32
        var logits = fullLogits / temperature;
        using var completion = sequences.narrow(1, generated.PromptLength, generated.CompletionLength);
        var logp = TokenLogProbs.OfChosen(logits, completion);
        var values = head is null ? null : ValuesOf(head, completionHidden);
        return new PolicyPass(logits, logp, values);
    }

    /// <summary>The head's values of (B, N, C) hidden states: (B, N); the head stays float32 under mixed precision.</summary>
    private static Tensor ValuesOf(ScalarHead head, Tensor hidden)
    {
        using var input = hidden.to(ScalarType.Float32);
        return head.call(input);
    }

    /// <summary>Log-probs of the sampled tokens under a frozen model (no grad): (B, N).</summary>
    public static Tensor FrozenLogProbs(CausalLm model, GenerationResult generated, double temperature)
    {
        using var noGrad = no_grad();
        using var pass = Run(model, null, generated, temperature);
        return pass.LogProbs.detach();
    }

    /// <summary>Masked mean entropy of the completion distributions.</summary>
    public double MeanEntropy(Tensor mask) => TokenLogProbs.MaskedMeanEntropy(Logits, mask);

    public void Dispose()
    {
        Logits.Dispose();
        LogProbs.Dispose();
        Values?.Dispose();
    }
}
