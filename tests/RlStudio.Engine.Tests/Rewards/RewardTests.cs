using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tasks;

namespace RlStudio.Engine.Tests.Rewards;

public sealed class RewardTests
{
    private static PromptExample Ex(string reference) => new("1+1=", reference);

    [Theory]
    [InlineData(" 579 ", "579", 1.0)]
    [InlineData("578", "579", 0.0)]
    [InlineData("579 apples", "579", 0.0)]
    public void ExactMatch_TrimmedComparison_ScoresOneOrZero(string completion, string reference, double expected)
    {
        Assert.Equal(expected, new ExactMatchReward().Score([Ex(reference)], [completion])[0]);
    }

    [Theory]
    [InlineData("the answer is 42", "42", 1.0)]
    [InlineData("steps 1, 2 then #### 42", "42", 1.0)]
    [InlineData("so \\boxed{42} done 7", "42", 1.0)]
    [InlineData("1,234", "1234", 1.0)]
    [InlineData("41", "42", 0.0)]
    [InlineData("no number", "42", 0.0)]
    [InlineData("-3.5", "-3.50", 1.0)]
    public void NumericMatch_AnswerForms_ScoredAgainstReferenceNumber(string completion, string reference, double expected)
    {
        Assert.Equal(expected, new NumericMatchReward().Score([Ex(reference)], [completion])[0]);
    }

    [Fact]
    public void NumericMatch_ReferenceWithoutNumber_Unscorable()
    {
        Assert.Null(new NumericMatchReward().Score([Ex("none")], ["42"])[0]);
    }

    [Fact]
    public void RewardBatch_WeightedSumOverScorable_AllNullIsZeroAndFlagged()
    {
        WeightedReward[] rewards = [new(new ExactMatchReward(), 0.5), new(new NumericMatchReward(), 2.0)];
        var scored = RewardBatch.Score(rewards, [Ex("42"), Ex("abc")], ["42", "abc"]);
        Assert.Equal(2.5, scored.Combined[0]);
        Assert.Equal(0.5, scored.Combined[1]);          // numeric_match cannot score "abc"
        Assert.Null(scored.ScoresOf(1)["numeric_match"]);
        var onlyNumeric = RewardBatch.Score([new(new NumericMatchReward())], [Ex("abc")], ["x"]);
        Assert.Equal(0.0, onlyNumeric.Combined[0]);
        Assert.True(onlyNumeric.Unscorable[0]);
    }

    [Fact]
    public void AdditionTask_SameSeed_SameExamplesWithCorrectSums()
    {
        var a = AdditionTask.Generate(3, 50, seed: 9);
        var b = AdditionTask.Generate(3, 50, seed: 9);
        Assert.Equal(a, b);
        Assert.All(a, e =>
        {
            var parts = e.Prompt.TrimEnd('=').Split('+');
            Assert.Equal(int.Parse(parts[0]) + int.Parse(parts[1]), int.Parse(e.Reference));
            Assert.InRange(int.Parse(parts[0]), 0, 999);
        });
        Assert.NotEqual(a, AdditionTask.Generate(3, 50, seed: 10));
    }
}

public sealed class FormatRewardTests
{
    private static readonly PromptExample Example = new("q", "a");

    [Theory]
    [InlineData(@"^<answer>\d+</answer>$", "<answer>42</answer>", 1.0)]
    [InlineData(@"^<answer>\d+</answer>$", "the answer is 42", 0.0)]
    [InlineData(@"\d", "x7y", 1.0)]
    public void Regex_Pattern_ScoresOneOrZero(string pattern, string completion, double expected)
    {
        var reward = new RegexReward(pattern);
        Assert.Equal("format", reward.Name);
        Assert.Equal(expected, reward.Score([Example], [completion])[0]);
    }

    [Theory]
    [InlineData("abc", 5, 0.0)]
    [InlineData("abcdefg", 5, -0.2)]
    [InlineData("", 0, 0.0)]
    public void LengthPenalty_BeyondTarget_NegativePerToken(string completion, int target, double expected)
    {
        var score = new LengthPenalty(target, penaltyPerToken: 0.1).Score([Example], [completion])[0];
        Assert.Equal(expected, score!.Value, 9);
    }

    [Fact]
    public void LengthPenalty_NegativeTarget_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthPenalty(-1));
    }

    [Theory]
    [InlineData("{\"a\": [1, 2]}", 1.0)]
    [InlineData("  42 ", 1.0)]
    [InlineData("Sure:\n```json\n{\"ok\": true}\n```", 1.0)]
    [InlineData("{\"a\": ", 0.0)]
    [InlineData("", 0.0)]
    [InlineData("{} {}", 0.0)]
    public void JsonValid_Completion_ScoresParseability(string completion, double expected)
    {
        Assert.Equal(expected, new JsonValidReward().Score([Example], [completion])[0]);
    }

    [Fact]
    public void RewardBatch_AllFunctionsNull_Unscorable()
    {
        var batch = RewardBatch.Score([new WeightedReward(new RegexReward("x")), new WeightedReward(new NullReward())], [Example, Example], ["x", "y"]);
        Assert.Equal([false, false], batch.Unscorable);
        var onlyNull = RewardBatch.Score([new WeightedReward(new NullReward())], [Example], ["x"]);
        Assert.True(onlyNull.Unscorable[0]);
        Assert.Equal(0.0, onlyNull.Combined[0]);
    }

    private sealed class NullReward : IRewardFunction
    {
        public string Name => "null";
        public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions) =>
            new double?[completions.Count];
    }
}
