using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// Tiny models for the parity tests, initialised so that every part matters: attention scores of order 1 (so RoPE and
/// masking change the result), norm weights away from 1, biases away from 0, logits a few units wide.
/// </summary>
internal static class ParityModel
{
    public static ModelConfig Config(bool tied, bool bias, int kvHeads, double theta) => new()
    {
        DModel = 64, Layers = 2, Heads = 4, KvHeads = kvHeads, FfnHidden = 96, MaxSeq = 64, RopeTheta = theta,
        TieEmbeddings = tied, AttentionBias = bias, NormEps = 1e-5,
    };

    /// <summary>Initialised in float32, then converted to <paramref name="dtype"/> (so a float64 copy holds the same values).</summary>
    public static (CausalLm Model, ScalarHead Head) Create(ModelConfig config, ulong seed, ScalarType dtype = ScalarType.Float32)
    {
        var model = new CausalLm(config);
        var head = new ScalarHead(config.DModel);
        using var generator = new Generator(seed, CPU);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();                       // the noise; the parameters were made outside it
        foreach (var (name, p) in model.named_parameters().Concat(head.named_parameters()))
        {
            var noise = randn(p.shape, generator: generator);
            var value = name switch
            {
                _ when name.EndsWith("norm.weight", StringComparison.Ordinal) => noise * 0.2 + 1.0,
                _ when name.EndsWith(".bias", StringComparison.Ordinal) => noise * 0.3,
                "embed_tokens.weight" or "lm_head.weight" => noise * 0.25,                      // logits of a few units
                _ => noise / Math.Sqrt(p.shape[1]),                                   // linear: unit-variance outputs
            };
            p.copy_(value);
        }
        model.to(dtype);
        head.to(dtype);
        return (model, head);
    }

    /// <summary>
    /// The trainer's teacher-forced pass over sampled sequences (PolicyPass, internal to the engine) through public API:
    /// inputs are the sequences without their last column, positions count real tokens, the completion positions'
    /// logits are divided by the temperature. Returns the sampled tokens' log-probs and, with a head, the values (B, N).
    /// </summary>
    public static (Tensor LogProbs, Tensor? Values) TeacherForced(CausalLm model, ScalarHead? head, Tensor sequences, Tensor attention,
        int promptLength, double temperature)
    {
        using var scope = NewDisposeScope();
        var before = CompletionHidden(model, sequences, attention, promptLength);
        var logits = model.Logits(before) / temperature;                                       // (B, N, V)
        var logp = TokenLogProbs.OfChosen(logits, sequences.narrow(1, promptLength, sequences.shape[1] - promptLength));
        var values = head?.call(before);
        return (logp.MoveToOuterDisposeScope(), values?.MoveToOuterDisposeScope());
    }

    /// <summary>The same pass's temperature-scaled logits of the completion positions: (B, N, V).</summary>
    public static Tensor TeacherForcedLogits(CausalLm model, Tensor sequences, Tensor attention, int promptLength, double temperature)
    {
        using var before = CompletionHidden(model, sequences, attention, promptLength);
        using var logits = model.Logits(before);
        return logits / temperature;
    }

    /// <summary>Final hidden states of the state before each completion token: (B, N, C).</summary>
    private static Tensor CompletionHidden(CausalLm model, Tensor sequences, Tensor attention, int promptLength)
    {
        using var scope = NewDisposeScope();
        var width = sequences.shape[1] - 1;
        var inputs = sequences.narrow(1, 0, width);
        var inputMask = attention.narrow(1, 0, width);
        var positions = PaddedBatch.Positions(inputMask);
        var hidden = model.Hidden(inputs, positions, inputMask, null);                          // (B, P + N − 1, C)
        return hidden.narrow(1, promptLength - 1, sequences.shape[1] - promptLength).MoveToOuterDisposeScope();
    }

    /// <summary>Max |a − b| over the positions where <paramref name="mask"/> is set.</summary>
    public static double MaxAbsError(Tensor a, Tensor b, Tensor mask)
    {
        using var diff = (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs();
        using var m = mask.to(ScalarType.Bool);
        using var selected = diff.masked_select(m.dim() < diff.dim() ? m.unsqueeze(-1).expand_as(diff) : m);
        return selected.numel() == 0 ? 0 : selected.max().item<double>();
    }
}
