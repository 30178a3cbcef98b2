using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Agents;

/// <summary>
/// Laid-out episodes (<see cref="TrajectoryLayout"/>) as a teacher-forced training batch: right-padded tokens (B, T) and
/// the (B, T − 1) mask of targets that are the agent's own tokens (observations and padding are 0, so they add nothing to
/// the loss, the KL or the entropy). Per-turn figures become per-target tensors two ways: <see cref="PerToken"/> gives
/// every token of a turn its turn's value (episode-level advantages), <see cref="AtTurnEnds"/> puts it on the turn's last
/// token only (token-level rewards for REINFORCE++ and PPO). Owns its tensors.
/// </summary>
public sealed class EpisodeBatch : IDisposable
{
    private readonly int[][] turnOfTarget;

    private EpisodeBatch(Tensor tokens, Tensor targetMask, int[][] turnOfTarget)
    {
        Tokens = tokens;
        TargetMask = targetMask;
        this.turnOfTarget = turnOfTarget;
    }

    /// <summary>(B, T) long.</summary>
    public Tensor Tokens { get; }

    /// <summary>(B, T − 1) float: 1 where the target (column j + 1) is an agent token or its EOS.</summary>
    public Tensor TargetMask { get; }

    public int Rows => turnOfTarget.Length;

    public static EpisodeBatch Build(ITokenizer tokenizer, IReadOnlyList<Trajectory> trajectories, Device device)
    {
        if (trajectories.Count == 0) throw new ArgumentException("At least one trajectory.", nameof(trajectories));
        var (tokens, _) = PaddedBatch.RightPad(trajectories.Select(t => t.Tokens).ToArray(), device, tokenizer.PadId);
        var width = (int)tokens.shape[1] - 1;
        var turns = trajectories.Select(t =>
        {
            var row = Enumerable.Repeat(-1, width).ToArray();
            for (var j = 0; j + 1 < t.Turn.Length; j++) row[j] = t.Turn[j + 1];
            return row;
        }).ToArray();
        var mask = turns.SelectMany(row => row.Select(turn => turn >= 0 ? 1f : 0f)).ToArray();
        return new EpisodeBatch(tokens, tensor(mask, [turns.Length, width]).to(device), turns);
    }

    /// <summary>(B, T − 1) float: each agent target gets its turn's value from <paramref name="perTurn"/> (one array per row); 0 elsewhere.</summary>
    public Tensor PerToken(IReadOnlyList<double[]> perTurn) => Spread(perTurn, lastOnly: false);

    /// <summary>(B, T − 1) float: each turn's value on the turn's last agent target (its EOS when it stopped); 0 elsewhere.</summary>
    public Tensor AtTurnEnds(IReadOnlyList<double[]> perTurn) => Spread(perTurn, lastOnly: true);

    private Tensor Spread(IReadOnlyList<double[]> perTurn, bool lastOnly)
    {
        if (perTurn.Count != Rows) throw new ArgumentException($"One array of turn values per row ({Rows}), not {perTurn.Count}.", nameof(perTurn));
        var width = turnOfTarget[0].Length;
        var values = new float[Rows * width];
        for (var i = 0; i < Rows; i++)
        {
            var row = turnOfTarget[i];
            for (var j = 0; j < width; j++)
            {
                var turn = row[j];
                if (turn < 0 || (lastOnly && j + 1 < width && row[j + 1] == turn)) continue;
                values[i * width + j] = (float)perTurn[i][turn];
            }
        }
        return tensor(values, [Rows, width]).to(TargetMask.device);
    }

    /// <summary>Log-probs of every target token under <paramref name="model"/> at <paramref name="temperature"/>: (B, T − 1), with grad.</summary>
    public Tensor LogProbs(CausalLm model, double temperature = 1.0)
    {
        using var pass = Forward(model, null, temperature);
        return pass.LogProbs.alias();
    }

    /// <summary>
    /// One teacher-forced pass: temperature-scaled logits (B, T − 1, V), the targets' log-probs (B, T − 1) and, with a
    /// head, the value of the state before each target (B, T − 1).
    /// </summary>
    public EpisodePass Forward(CausalLm model, ScalarHead? head, double temperature)
    {
        var width = Tokens.shape[1] - 1;
        using var inputs = Tokens.narrow(1, 0, width);
        using var targets = Tokens.narrow(1, 1, width);
        using var hidden = model.Hidden(inputs);                  // right padding: causal attention never looks ahead at it
        using var rawLogits = model.Logits(hidden);
        using var fullLogits = rawLogits.to(ScalarType.Float32);
        var logits = fullLogits / temperature;
        var logp = TokenLogProbs.OfChosen(logits, targets);
        Tensor? values = null;
        if (head is not null)
        {
            using var input = hidden.to(ScalarType.Float32);
            values = head.call(input);
        }
        return new EpisodePass(logits, logp, values);
    }

    public void Dispose()
    {
        Tokens.Dispose();
        TargetMask.Dispose();
    }
}
