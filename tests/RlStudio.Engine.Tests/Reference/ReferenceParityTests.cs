using Xunit.Abstractions;
using System.Text.Json.Nodes;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// Parity with the independent PyTorch reference in tests/reference/ (float64): the model exported as a Hugging Face
/// folder, one fixed batch, and every algorithm's loss. Logits max abs error ≤ 1e-5, losses ≤ 1e-6 relative, every
/// parameter's gradient ≤ 1e-4 relative error with cosine ≥ 0.9999. Needs /usr/bin/python3 with torch; fails without.
/// Each case runs twice: the engine in float32 (as it trains) and in float64. A loss is a sum of signed terms, so the float32
/// forward's rounding (~1e-7 of a logit) can move it by a few 1e-6 relative: in float32 the 1e-6 bound applies to each loss
/// given the engine's own forward outputs (the loss functions alone), and end to end only in float64.
/// </summary>
public sealed class ReferenceParityTests(ITestOutputHelper output)
{
    private const double LogitTolerance = 1e-5;
    private const double LossTolerance = 1e-6;
    private const double GradientTolerance = 1e-4;
    private const double GradientCosine = 0.9999;
    /// <summary>End-to-end float32 losses (forward rounding included); measured up to ~1e-5 on this batch.</summary>
    private const double Float32EndToEndLossTolerance = 5e-5;
    /// <summary>
    /// Float32 losses whose advantages the engine whitens in float32 (REINFORCE++, PPO): their advantages carry ~3e-7 absolute
    /// error, and REINFORCE++'s loss (0.055) is a small net of O(1) terms; measured 2.6–3.2e-6 relative given the engine's forward.
    /// </summary>
    private const double Float32WhitenedLossTolerance = 1e-5;
    /// <summary>A reference gradient this small is zero in exact arithmetic (e.g. the score bias under Bradley–Terry).</summary>
    private const double ZeroGradient = 1e-10;

    [Theory]
    [InlineData(true, true, 2, 500.0, false)]         // tied head, q/k/v bias (Qwen2), GQA, small θ
    [InlineData(false, false, 2, 10_000.0, false)]    // untied head, Llama, GQA
    [InlineData(false, true, 1, 1_000_000.0, false)]  // untied head, bias, one KV head (MQA), large θ
    [InlineData(true, true, 2, 500.0, true)]
    [InlineData(false, false, 2, 10_000.0, true)]
    [InlineData(false, true, 1, 1_000_000.0, true)]
    public void EngineModelAndLosses_FixedBatch_MatchPyTorchReference(bool tied, bool bias, int kvHeads, double theta, bool float64)
    {
        var config = ParityModel.Config(tied, bias, kvHeads, theta);
        var (model, head) = ParityModel.Create(config, seed: 1234, float64 ? ScalarType.Float64 : ScalarType.Float32);
        using var _model = model;
        using var _head = head;
        using var batch = ParityBatch.Create(model, head, seed: 99);
        var folder = Directory.CreateTempSubdirectory("rlstudio-parity-").FullName;
        var expected = new Dictionary<string, Tensor>();
        try
        {
            HfModelFolder.Export(model, ByteTokenizer.Instance, folder);
            Safetensors.Write(Path.Combine(folder, "head.safetensors"),
                head.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToArray());
            batch.WriteJson(Path.Combine(folder, "batch.json"), LossVariant.All);
            PythonReference.Run("parity.py", folder);
            Safetensors.Read(Path.Combine(folder, "reference.safetensors"), (name, t) => expected[name] = t.clone());
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")))!;
            var (losses, lossesGivenEngine) = (json["losses"]!.AsObject(), json["losses_given_engine_forward"]!.AsObject());

            var report = new ParityReport(output);
            CompareForward(report, model, head, batch, expected);
            foreach (var variant in LossVariant.All)
            {
                var givenForward = float64 || !variant.WhitensAdvantages ? LossTolerance : Float32WhitenedLossTolerance;
                CompareVariant(report, variant, model, head, batch, expected, (double)losses[variant.Name]!, (double)lossesGivenEngine[variant.Name]!,
                    givenForward, float64 ? LossTolerance : Float32EndToEndLossTolerance);
            }
            report.ThrowIfAnyFailed();
        }
        finally
        {
            foreach (var t in expected.Values) t.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Logits of the left-padded batch and of the right-padded pairs, the teacher-forced log-probs and values.</summary>
    private static void CompareForward(ParityReport report, CausalLm model, ScalarHead head, ParityBatch batch,
        Dictionary<string, Tensor> expected)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var positions = PaddedBatch.Positions(batch.Attention);
        var logits = model.Forward(batch.Sequences, positions, batch.Attention, null);
        report.AtMost("logits (left-padded batch), max abs", ParityModel.MaxAbsError(logits, expected["logits"], batch.Attention), LogitTolerance);
        var pairLogits = model.call(batch.PairTokens);
        report.AtMost("logits (right-padded pairs), max abs",
            ParityModel.MaxAbsError(pairLogits, expected["pair_logits"], batch.PairAttention), LogitTolerance);
        var (logp, values) = ParityModel.TeacherForced(model, head, batch.Sequences, batch.Attention, batch.PromptLength,
            ParityBatch.Temperature);
        report.AtMost("teacher-forced log-probs (T 0.8), max abs", ParityModel.MaxAbsError(logp, expected["logp"], batch.CompletionMask),
            LogitTolerance);
        report.AtMost("values, max abs", ParityModel.MaxAbsError(values!, expected["values"], batch.CompletionMask), LogitTolerance);
        var pairLogp = batch.SequenceLogProbs(model);
        report.AtMost("pair sequence log-probs, max abs", ParityModel.MaxAbsError(pairLogp, expected["pair_logp"], ones_like(pairLogp)),
            LogitTolerance);
    }

    /// <summary>The variant's loss (relative), its advantages (max abs) and the gradient of every parameter tensor.</summary>
    private static void CompareVariant(ParityReport report, LossVariant variant, CausalLm model, ScalarHead head, ParityBatch batch,
        Dictionary<string, Tensor> expected, double referenceLoss, double referenceLossGivenEngine,
        double givenForwardTolerance, double endToEndTolerance)
    {
        model.zero_grad();
        head.zero_grad();
        var (loss, advantages) = EngineLoss.Compute(variant, model, head, batch);
        using (loss)
        using (advantages)
        {
            using var engineLossValue = loss.to(ScalarType.Float64);
            var engineLoss = engineLossValue.item<double>();
            report.AtMost($"{variant.Name} loss given the engine's forward {engineLoss:G9} vs {referenceLossGivenEngine:G9}, relative",
                Math.Abs(engineLoss - referenceLossGivenEngine) / Math.Abs(referenceLossGivenEngine), givenForwardTolerance);
            report.AtMost($"{variant.Name} loss end to end {engineLoss:G9} vs {referenceLoss:G9}, relative",
                Math.Abs(engineLoss - referenceLoss) / Math.Abs(referenceLoss), endToEndTolerance);
            if (advantages is not null)
            {
                using var mask = advantages.dim() == 1 ? ones_like(advantages) : batch.CompletionMask.alias();
                report.AtMost($"{variant.Name} advantages, max abs",
                    ParityModel.MaxAbsError(advantages, expected[$"advantages/{variant.Name}"], mask), LogitTolerance);
            }
            loss.backward();
        }

        var parameters = model.named_parameters().Select(p => (Name: HfName(p.name), p.parameter));
        if (variant.UsesHead) parameters = parameters.Concat(head.named_parameters().Select(p => (p.name, p.parameter)));
        var (worstName, worst, lowestCosine) = ("", 0.0, 1.0);
        foreach (var (name, p) in parameters)
        {
            using var gradient = p.grad is { } g ? g.alias() : zeros_like(p);
            var reference = expected[$"grad/{variant.Name}/{name}"];
            using var referenceNorm = reference.norm();
            if (referenceNorm.item<float>() < ZeroGradient)
            {
                using var norm = gradient.norm().to(ScalarType.Float64);
                report.AtMost($"{variant.Name} gradient of {name} (zero in exact arithmetic), norm", norm.item<double>(), 1e-6);
                continue;
            }
            var (relative, cosine) = ParityReport.Compare(gradient, reference);
            if (relative >= worst) (worstName, worst) = (name, relative);
            lowestCosine = Math.Min(lowestCosine, cosine);
        }
        report.AtMost($"{variant.Name} gradients, worst relative error ({worstName})", worst, GradientTolerance);
        report.AtLeast($"{variant.Name} gradients, lowest cosine", lowestCosine, GradientCosine);
    }

    /// <summary>The checkpoint key of a module parameter (what HfModelFolder writes).</summary>
    private static string HfName(string moduleName) => moduleName == "lm_head.weight" ? moduleName : "model." + moduleName;
}
