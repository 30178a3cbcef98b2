using RlStudio.Engine.Tokenization;
using RlStudio.Environments;

namespace RlStudio.Engine.Agents;

/// <summary>
/// An episode's conversation as one token sequence in the tokenizer's chat format (<see cref="ChatFormat"/>: the
/// observations as user messages that open the assistant's reply, or plain text): the first observation, then each
/// agent turn — the tokens the model sampled (ending with EOS when it stopped there), or the encoded text and EOS for a
/// written turn — and the environment's next observation. Only the agent's
/// tokens and their EOS train (<see cref="Trajectory.Trained"/>); observation tokens are context, kept out of the loss,
/// the KL and the entropy. Sampling turn k uses the layout of the conversation up to it as its prompt, so training sees
/// exactly the tokens the policy saw.
/// </summary>
public static class TrajectoryLayout
{
    public static Trajectory Lay(ITokenizer tokenizer, IReadOnlyList<ConversationMessage> conversation)
    {
        if (conversation.Count == 0 || conversation[0].FromAgent) throw new ArgumentException("A conversation starts with an observation.", nameof(conversation));
        var format = ChatFormat.Of(tokenizer);
        var tokens = new List<int>();
        var turn = new List<int>();
        var agentTurns = 0;
        for (var m = 0; m < conversation.Count; m++)
        {
            var message = conversation[m];
            if (message.FromAgent)
            {
                var encoded = message.Tokens ?? [.. tokenizer.Encode(message.Text), tokenizer.EosId];
                tokens.AddRange(encoded);
                turn.AddRange(Enumerable.Repeat(agentTurns, encoded.Length));
                agentTurns++;
            }
            else
            {
                var encoded = format.Observation(tokenizer, message.Text, isFirst: m == 0);
                tokens.AddRange(encoded);
                turn.AddRange(Enumerable.Repeat(-1, encoded.Length));
            }
        }
        return new Trajectory([.. tokens], [.. turn]);
    }

    /// <summary>
    /// The layout training uses: the conversation without the observation after the agent's last turn (no trained token
    /// follows it, and it need not fit in the context the turns were sampled in).
    /// </summary>
    public static Trajectory ForTraining(ITokenizer tokenizer, IReadOnlyList<ConversationMessage> conversation) =>
        Lay(tokenizer, conversation.Count > 1 && !conversation[^1].FromAgent ? conversation.Take(conversation.Count - 1).ToList() : conversation);
}

/// <summary>A laid-out episode: its tokens, and for each token the agent turn it belongs to (−1: an observation's).</summary>
public sealed record Trajectory(int[] Tokens, int[] Turn)
{
    /// <summary>Whether each token is the model's own (its log-probability trains).</summary>
    public bool[] Trained => Turn.Select(t => t >= 0).ToArray();
}
