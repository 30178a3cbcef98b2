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
