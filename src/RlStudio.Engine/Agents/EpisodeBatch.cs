using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Agents;

/// <summary>
/// Laid-out episodes (<see cref="TrajectoryLayout"/>) as a teacher-forced training batch: right-padded tokens (B, T), the
/// (B, T − 1) mask of targets that are the agent's own tokens (observations and padding are 0, so they add nothing to the
/// loss, the KL or the entropy), and each target's advantage — its turn's (<see cref="EpisodeAdvantages"/>). Owns its
/// tensors.
/// </summary>
public sealed class EpisodeBatch : IDisposable
{
    private EpisodeBatch(Tensor tokens, Tensor targetMask, Tensor advantages)
    {
        Tokens = tokens;
        TargetMask = targetMask;
        Advantages = advantages;
    }

    /// <summary>(B, T) long.</summary>
    public Tensor Tokens { get; }

    /// <summary>(B, T − 1) float: 1 where the target (column j + 1) is an agent token or its EOS.</summary>
    public Tensor TargetMask { get; }

    /// <summary>(B, T − 1) float: the target's turn advantage where <see cref="TargetMask"/> is 1, else 0.</summary>
    public Tensor Advantages { get; }

    /// <param name="turnAdvantages">Per trajectory, one advantage per agent turn.</param>
    public static EpisodeBatch Build(ITokenizer tokenizer, IReadOnlyList<Trajectory> trajectories, IReadOnlyList<double[]> turnAdvantages, Device device)
    {
        if (trajectories.Count == 0 || trajectories.Count != turnAdvantages.Count)
            throw new ArgumentException("One list of turn advantages per trajectory, and at least one trajectory.", nameof(turnAdvantages));
        var (tokens, _) = PaddedBatch.RightPad(trajectories.Select(t => t.Tokens).ToArray(), device, tokenizer.PadId);
        var width = (int)tokens.shape[1] - 1;
        var mask = new float[trajectories.Count * width];
        var advantages = new float[trajectories.Count * width];
        for (var i = 0; i < trajectories.Count; i++)
        {
            var turn = trajectories[i].Turn;
            for (var j = 0; j + 1 < turn.Length; j++)
            {
                if (turn[j + 1] < 0) continue;
                mask[i * width + j] = 1;
                advantages[i * width + j] = (float)turnAdvantages[i][turn[j + 1]];
            }
        }
        return new EpisodeBatch(tokens, tensor(mask, [trajectories.Count, width]).to(device), tensor(advantages, [trajectories.Count, width]).to(device));
    }

    /// <summary>Log-probs of every target token under <paramref name="model"/> at <paramref name="temperature"/>: (B, T − 1), with grad.</summary>
    public Tensor LogProbs(CausalLm model, double temperature = 1.0)
    {
        var width = Tokens.shape[1] - 1;
        using var inputs = Tokens.narrow(1, 0, width);
        using var targets = Tokens.narrow(1, 1, width);
        using var rawLogits = model.call(inputs);                 // right padding: causal attention never looks ahead at it
        using var logits = rawLogits.to(ScalarType.Float32) / temperature;
        return TokenLogProbs.OfChosen(logits, targets);
    }

    public void Dispose()
    {
        Tokens.Dispose();
        TargetMask.Dispose();
        Advantages.Dispose();
    }
}
