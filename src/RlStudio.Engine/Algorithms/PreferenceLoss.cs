using static TorchSharp.torch;

namespace RlStudio.Engine.Algorithms;

/// <summary>Pairwise preference losses over summed completion log-probs (DPO, IPO) and reward-model scores (Bradley–Terry).</summary>
public static class PreferenceLoss
{
    /// <summary>h = (logp_w − ref_w) − (logp_l − ref_l).</summary>
    public static Tensor LogRatioMargin(Tensor chosenLogp, Tensor chosenRef, Tensor rejectedLogp, Tensor rejectedRef)
    {
        using var chosen = chosenLogp - chosenRef;
        using var rejected = rejectedLogp - rejectedRef;
        return chosen - rejected;
    }

    /// <summary>DPO: −log σ(β·h), per pair.</summary>
    public static Tensor Dpo(Tensor margin, double beta)
    {
        using var scaled = margin * beta;
        using var logSigmoid = nn.functional.logsigmoid(scaled);
        return logSigmoid.neg();
    }

    /// <summary>IPO: (h − 1/(2β))², per pair.</summary>
    public static Tensor Ipo(Tensor margin, double beta)
    {
        using var shifted = margin - 1.0 / (2 * beta);
        return shifted.square();
    }

    /// <summary>Implicit reward β·(logp − ref).</summary>
    public static Tensor ImplicitReward(Tensor logp, Tensor reference, double beta)
    {
        using var diff = logp - reference;
        return diff * beta;
    }

    /// <summary>Bradley–Terry reward-model loss: −log σ(r_w − r_l − margin), per pair.</summary>
    public static Tensor BradleyTerry(Tensor chosenScore, Tensor rejectedScore, double margin = 0)
    {
        using var diff = chosenScore - rejectedScore - margin;
        using var logSigmoid = nn.functional.logsigmoid(diff);
        return logSigmoid.neg();
    }
}
