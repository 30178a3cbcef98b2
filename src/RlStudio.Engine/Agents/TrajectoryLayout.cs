using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.Agents;

/// <summary>
/// An episode's conversation as one token sequence: the first observation with the tokenizer's prompt prefix, then each
/// agent turn followed by EOS (where sampling that turn stopped) and the environment's next observation. Only the agent's
/// tokens and their EOS train (<see cref="Trajectory.Trained"/>); observation tokens are context, kept out of the loss,
/// the KL and the entropy. Sampling turn k uses the layout of the conversation up to it as its prompt, so training sees
/// exactly the tokens the policy saw.
/// </summary>
public static class TrajectoryLayout
{
    public static Trajectory Lay(ITokenizer tokenizer, IReadOnlyList<ConversationMessage> conversation)
    {
        if (conversation.Count == 0 || conversation[0].FromAgent) throw new ArgumentException("A conversation starts with an observation.", nameof(conversation));
        var tokens = new List<int>();
        var turn = new List<int>();
        var agentTurns = 0;
        for (var m = 0; m < conversation.Count; m++)
        {
            var message = conversation[m];
            if (message.FromAgent)
            {
                int[] encoded = [.. tokenizer.Encode(message.Text), tokenizer.EosId];
                tokens.AddRange(encoded);
                turn.AddRange(Enumerable.Repeat(agentTurns, encoded.Length));
                agentTurns++;
            }
            else
            {
                var encoded = m == 0 ? tokenizer.EncodePrompt(message.Text) : tokenizer.Encode("\n" + message.Text + "\n");
                tokens.AddRange(encoded);
                turn.AddRange(Enumerable.Repeat(-1, encoded.Length));
            }
        }
        return new Trajectory([.. tokens], [.. turn]);
    }
}

/// <summary>A laid-out episode: its tokens, and for each token the agent turn it belongs to (−1: an observation's).</summary>
public sealed record Trajectory(int[] Tokens, int[] Turn)
{
    /// <summary>Whether each token is the model's own (its log-probability trains).</summary>
    public bool[] Trained => Turn.Select(t => t >= 0).ToArray();
}
