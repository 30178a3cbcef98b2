using RlStudio.Engine.Agents;
using RlStudio.Engine.Tokenization;
using RlStudio.Environments;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>A conversation as one token sequence: agent turns (with their EOS) train, observations do not.</summary>
public sealed class TrajectoryLayoutTests
{
    private static readonly ITokenizer Tokenizer = ByteTokenizer.Instance;

    [Fact]
    public void AgentTokensAndTheirEos_Train_ObservationTokensDoNot()
    {
        var conversation = new[]
        {
            new ConversationMessage(false, "Guess 1-10."),
            new ConversationMessage(true, "guess 5"),
            new ConversationMessage(false, "Higher."),
            new ConversationMessage(true, "guess 8"),
            new ConversationMessage(false, "Correct!"),
        };
        var trajectory = TrajectoryLayout.Lay(Tokenizer, conversation);

        var first = Tokenizer.EncodePrompt("Guess 1-10.").Length;
        var turn0 = Tokenizer.Encode("guess 5").Length + 1;
        var observation = Tokenizer.Encode("\nHigher.\n").Length;
        var turn1 = Tokenizer.Encode("guess 8").Length + 1;
        var last = Tokenizer.Encode("\nCorrect!\n").Length;
        int[] expected = [.. Enumerable.Repeat(-1, first), .. Enumerable.Repeat(0, turn0), .. Enumerable.Repeat(-1, observation),
            .. Enumerable.Repeat(1, turn1), .. Enumerable.Repeat(-1, last)];
        Assert.Equal(expected, trajectory.Turn);
        Assert.Equal(Tokenizer.EosId, trajectory.Tokens[first + turn0 - 1]);
        Assert.Equal(turn0 + turn1, trajectory.Trained.Count(t => t));
    }

    [Fact]
    public void ThePromptOfATurn_IsTheLayoutOfTheConversationBeforeIt()
    {
        var before = new[] { new ConversationMessage(false, "Q"), new ConversationMessage(true, "calc(1+1)"), new ConversationMessage(false, "= 2") };
        var full = TrajectoryLayout.Lay(Tokenizer, [.. before, new ConversationMessage(true, "answer 2")]);
        var prompt = TrajectoryLayout.Lay(Tokenizer, before);
        Assert.Equal(prompt.Tokens, full.Tokens.Take(prompt.Tokens.Length));
    }

    [Fact]
    public void SampledTokens_AreLaidOutAsSampled_NotReEncoded()
    {
        int[] sampled = [200, 201, 255];   // no EOS: the turn was cut at its token limit
        var trajectory = TrajectoryLayout.Lay(Tokenizer, [new ConversationMessage(false, "Q"), new ConversationMessage(true, "\uFFFD", sampled)]);
        Assert.Equal(sampled, trajectory.Tokens.Skip(Tokenizer.EncodePrompt("Q").Length));
    }

    [Fact]
    public void ForTraining_DropsTheObservationAfterTheLastTurn()
    {
        var conversation = new[] { new ConversationMessage(false, "Q"), new ConversationMessage(true, "answer 2"), new ConversationMessage(false, "Correct.") };
        Assert.Equal(TrajectoryLayout.Lay(Tokenizer, conversation[..2]).Tokens, TrajectoryLayout.ForTraining(Tokenizer, conversation).Tokens);
    }

    [Fact]
    public void AConversationMustStartWithAnObservation() =>
        Assert.Throws<ArgumentException>(() => TrajectoryLayout.Lay(Tokenizer, [new ConversationMessage(true, "hi")]));

    /// <summary>
    /// A tokenizer with a chat format lays the conversation out as the model was tuned to read it: ChatML (Qwen) with
    /// &lt;|im_end|&gt; as EOS, and Llama 3 with its BOS and &lt;|eot_id|&gt; as EOS; the agent's turns and their end token train.
    /// </summary>
    [Theory]
    [InlineData("chatml", null, "<|im_end|>",
        "<|im_start|>user\nGuess 1-10.<|im_end|>\n<|im_start|>assistant\nguess 5<|im_end|>\n<|im_start|>user\nHigher.<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("llama3", "<|begin_of_text|>", "<|eot_id|>",
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nGuess 1-10.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nguess 5<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHigher.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    public void ChatTokenizer_LaysTheTurnsOutInItsChatFormat(string format, string? bos, string eos, string expected)
    {
        string[] specials = ["<|endoftext|>", "<|begin_of_text|>", "<|im_start|>", "<|im_end|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
        var json = ByteLevelBpeJson.Write([], format == "chatml" ? specials.Where(t => !t.Contains("header") && t != "<|eot_id|>").ToArray() : specials.Where(t => !t.StartsWith("<|im_")).ToArray(), bos);
        var probe = ByteLevelBpeTokenizer.FromJson(json);
        var tokenizer = ByteLevelBpeTokenizer.FromJson(json, eosId: probe.SpecialTokenId(eos));
        Assert.Equal(format, ChatFormat.Of(tokenizer).Name);

        var trajectory = TrajectoryLayout.Lay(tokenizer,
            [new ConversationMessage(false, "Guess 1-10."), new ConversationMessage(true, "guess 5"), new ConversationMessage(false, "Higher.")]);

        Assert.Equal(tokenizer.Encode(expected), trajectory.Tokens);
        Assert.Equal([.. tokenizer.Encode("guess 5"), tokenizer.EosId], trajectory.Tokens.Where((_, i) => trajectory.Trained[i]));
    }

    [Fact]
    public void ByteTokenizer_HasNoChatFormat() => Assert.Same(ChatFormat.Plain, ChatFormat.Of(Tokenizer));
}
