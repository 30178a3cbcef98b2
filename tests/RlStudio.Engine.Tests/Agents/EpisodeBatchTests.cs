using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using RlStudio.Engine.Model;
using RlStudio.Engine.Tests.Model;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>
/// Observation tokens contribute no gradient: the policy loss over an episode batch has the same gradients whatever the
/// observation after the last turn says, and different ones when an agent token changes.
/// </summary>
public sealed class EpisodeBatchTests
{
    private static readonly ITokenizer Tokenizer = ByteTokenizer.Instance;

    private static ConversationMessage[] Conversation(string lastObservation, string secondTurn = "guess 8") =>
    [
        new(false, "Guess 1-10."), new(true, "guess 5"), new(false, "Higher."), new(true, secondTurn), new(false, lastObservation),
    ];

    [Fact]
    public void TargetsAndAdvantages_AreTheAgentTokensWithTheirTurnsAdvantage()
    {
        var trajectory = TrajectoryLayout.Lay(Tokenizer, Conversation("Correct!"));
        using var batch = EpisodeBatch.Build(Tokenizer, [trajectory], CPU);
        var mask = batch.TargetMask.data<float>().ToArray();
        using var perToken = batch.PerToken([[0.5, -2.0]]);
        var advantages = perToken.data<float>().ToArray();
        for (var j = 0; j < mask.Length; j++)
        {
            var owner = trajectory.Turn[j + 1];
            Assert.Equal(owner >= 0 ? 1f : 0f, mask[j]);
            Assert.Equal(owner switch { 0 => 0.5f, 1 => -2f, _ => 0f }, advantages[j]);
        }
    }

    /// <summary>Token rewards: a turn's reward sits on its last agent target (its EOS), nowhere else.</summary>
    [Fact]
    public void AtTurnEnds_PutsEachTurnsValueOnItsLastToken()
    {
        var trajectory = TrajectoryLayout.Lay(Tokenizer, Conversation("Correct!"));
        using var batch = EpisodeBatch.Build(Tokenizer, [trajectory], CPU);
        using var atEnds = batch.AtTurnEnds([[0.5, -2.0]]);
        var values = atEnds.data<float>().ToArray();
        var lastOfTurn0 = Array.LastIndexOf(trajectory.Turn, 0) - 1;          // target column j predicts token j + 1
        var lastOfTurn1 = Array.LastIndexOf(trajectory.Turn, 1) - 1;
        Assert.Equal(Tokenizer.EosId, trajectory.Tokens[lastOfTurn0 + 1]);
        for (var j = 0; j < values.Length; j++)
            Assert.Equal(j == lastOfTurn0 ? 0.5f : j == lastOfTurn1 ? -2f : 0f, values[j]);
    }

    [Fact]
    public void ChangingTheObservationAfterTheLastTurn_LeavesTheGradientsUnchanged()
    {
        using var model = CausalLmTests.TinyModel(seed: 3);
        var reference = Gradients(model, Conversation("Correct!"));
        var otherObservation = Gradients(model, Conversation("Wrong!!!"));    // same length, other tokens: masked out
        var otherAction = Gradients(model, Conversation("Correct!", secondTurn: "guess 9"));

        Assert.Equal(reference.Length, otherObservation.Length);
        for (var i = 0; i < reference.Length; i++) Assert.Equal(reference[i], otherObservation[i], 6);
        Assert.Contains(reference.Zip(otherAction), p => Math.Abs(p.First - p.Second) > 1e-6);
    }

    private static float[] Gradients(CausalLm model, ConversationMessage[] conversation)
    {
        model.zero_grad();
        var trajectory = TrajectoryLayout.Lay(Tokenizer, conversation);
        using var batch = EpisodeBatch.Build(Tokenizer, [trajectory], CPU);
        using var advantages = batch.PerToken([[1.0, -0.5]]);
        using var logp = batch.LogProbs(model);
        using var old = logp.detach();
        using var result = PolicyLoss.Compute(logp, old, null, advantages, batch.TargetMask, new PolicyLossSettings { Beta = 0 });
        result.Loss.backward();
        return model.parameters().Where(p => p.grad is not null).SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
    }
}
