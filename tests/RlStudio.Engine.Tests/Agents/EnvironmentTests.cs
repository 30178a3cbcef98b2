using System.Text.Json;
using RlStudio.Engine.Agents;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>The built-in environments' transitions, rewards and demonstrations, and task validation.</summary>
public sealed class EnvironmentTests
{
    private static EnvironmentTask Task(string env, int seed, string? parameters = null) =>
        new(env, "Play.", seed, parameters is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(parameters));

    [Fact]
    public void NumberGuess_NarrowsTheRange_RewardsConsistentGuesses_AndSucceedsOnTheSecret()
    {
        var task = Task(NumberGuessEnvironment.Name, seed: 7, """{"max": 10}""");
        var secret = new Random(7).Next(1, 11);
        var environment = new NumberGuessEnvironment();
        Assert.Contains("Number 1 to 10", environment.Reset(task));

        var low = environment.Step(secret == 1 ? "guess 10" : "guess 1");
        Assert.True(low.ValidAction);
        Assert.False(low.Done);
        Assert.Equal(1.0, low.StepReward);                        // inside 1..10: consistent
        Assert.StartsWith(secret == 1 ? "Lower" : "Higher", low.Observation);

        if (secret != 1)
        {
            Assert.Equal(0.0, environment.Step("guess 1").StepReward);   // ruled out by the feedback already
            Assert.Contains("2 to 10", environment.Step("guess 1").Observation);
        }
        var invalid = environment.Step("I think it is five");
        Assert.False(invalid.ValidAction);
        Assert.StartsWith("Invalid", invalid.Observation);

        var right = environment.Step($"Guess {secret}.");
        Assert.True(right.Done);
        Assert.True(environment.Succeeded);
        Assert.Equal(1, right.Info!["guesses"]);
    }

    [Theory]
    [InlineData(NumberGuessEnvironment.Name, """{"max": 1000}""")]
    [InlineData(CalculatorEnvironment.Name, """{"digits": 3}""")]
    public void Demonstrations_SolveTheirTasks(string env, string parameters)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var task = Task(env, seed, parameters);
            var environment = EnvironmentCatalog.Get(env).Create();
            environment.Reset(task);
            var turns = EnvironmentCatalog.Get(env).Demonstrate(task);
            var steps = turns.Select(environment.Step).ToList();
            Assert.True(environment.Succeeded, $"{env} seed {seed}: {string.Join(" | ", turns)}");
            Assert.True(steps[^1].Done);
            Assert.All(steps, s => Assert.True(s.ValidAction));
        }
    }

    [Fact]
    public void Calculator_EvaluatesCalls_RewardsTheUsefulOne_AndJudgesTheAnswer()
    {
        var task = Task(CalculatorEnvironment.Name, seed: 3);
        var environment = new CalculatorEnvironment();
        var question = environment.Reset(task);
        var numbers = System.Text.RegularExpressions.Regex.Matches(question, @"\d+").Select(m => long.Parse(m.Value)).ToArray();
        var (a, b, c) = (numbers[^3], numbers[^2], numbers[^1]);

        var partial = environment.Step($"calc({a} * {b})");
        Assert.Equal($"= {a * b}", partial.Observation);
        Assert.Equal(0.0, partial.StepReward);
        var useful = environment.Step($"calc(({a})*{b} + {c})");
        Assert.Equal(1.0, useful.StepReward);
        Assert.False(environment.Step("calc(2 / 3)").ValidAction);
        Assert.False(environment.Step("calc(os.system('x'))").ValidAction);

        var wrong = new CalculatorEnvironment();
        wrong.Reset(task);
        Assert.True(wrong.Step($"answer {a * b + c + 1}").Done);
        Assert.False(wrong.Succeeded);
        Assert.True(environment.Step($"answer: {a * b + c}").Done);
        Assert.True(environment.Succeeded);
    }

    [Theory]
    [InlineData("1+2*3", 7)]
    [InlineData("(1+2)*3", 9)]
    [InlineData("-4*-(2-5)", -12)]
    [InlineData(" 12 * 12 - 44 ", 100)]
    public void Arithmetic_FollowsPrecedence(string expression, long expected)
    {
        Assert.True(ArithmeticExpression.TryEvaluate(expression, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1+")]
    [InlineData("(1+2")]
    [InlineData("2**3")]
    [InlineData("9223372036854775807+1")]
    [InlineData("x")]
    public void Arithmetic_RefusesWhatIsNotAnExpression(string expression) => Assert.False(ArithmeticExpression.TryEvaluate(expression, out _));

    [Fact]
    public void Validation_NamesTheProblem()
    {
        Assert.Null(EnvironmentCatalog.Validate(Task(NumberGuessEnvironment.Name, 1, """{"max": 50}""")));
        Assert.Contains("unknown environment 'chess'", EnvironmentCatalog.Validate(Task("chess", 1)));
        Assert.Contains("parameters.max", EnvironmentCatalog.Validate(Task(NumberGuessEnvironment.Name, 1, """{"max": 1}""")));
        Assert.Contains("parameters.digits", EnvironmentCatalog.Validate(Task(CalculatorEnvironment.Name, 1, """{"digits": 9}""")));
        Assert.Contains("task: required", EnvironmentCatalog.Validate(new EnvironmentTask(CalculatorEnvironment.Name, " ", 1)));
    }
}
