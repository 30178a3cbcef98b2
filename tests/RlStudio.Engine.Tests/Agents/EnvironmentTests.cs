using System.Text.Json;
using RlStudio.Engine.Agents;
using RlStudio.Environments;

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
    [InlineData(PhoneAppEnvironment.Name, """{"goal": "alarm"}""")]
    [InlineData(PhoneAppEnvironment.Name, """{"goal": "wifi"}""")]
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

    [Fact]
    public void PhoneApp_SetsAnAlarmScreenByScreen_RewardingTheShortestPathsActions()
    {
        var task = Task(PhoneAppEnvironment.Name, seed: 1, """{"goal": "alarm", "hour": 7, "minute": 30}""");
        var phone = new PhoneAppEnvironment();
        Assert.EndsWith("Home: 1 Clock, 2 Settings", phone.Reset(task));

        var settings = phone.Step("tap 2");                                   // Settings: off the path to an alarm
        Assert.Equal(("Settings: 1 Wi-Fi [off]", 0.0), (settings.Observation, settings.StepReward));
        var back = phone.Step("back");                                        // the way back is the path again
        Assert.Equal(("Home: 1 Clock, 2 Settings", 1.0), (back.Observation, back.StepReward));
        Assert.Equal(1.0, phone.Step("tap 1").StepReward);                    // Clock
        Assert.Equal(1.0, phone.Step("TAP 1").StepReward);                    // Alarms
        var form = phone.Step("tap 1");
        Assert.Equal("Add alarm: 1 Hour [], 2 Minute [], 3 Save", form.Observation);
        Assert.False(phone.Step("tap 7").ValidAction);                        // no element 7 here
        Assert.False(phone.Step("type 1 \"seven\"").ValidAction);           // not a number
        Assert.Equal(1.0, phone.Step("type 1 \"7\"").StepReward);
        var early = phone.Step("done");                                       // too early: no alarm saved yet
        Assert.Equal(("Task not complete.", true, 0.0), (early.Observation, early.Done, early.StepReward));
        Assert.False(phone.Succeeded);
    }

    [Fact]
    public void PhoneApp_Alarm_SucceedsWhenSavedThenDone()
    {
        var task = Task(PhoneAppEnvironment.Name, seed: 1, """{"hour": 7, "minute": 5}""");
        var phone = new PhoneAppEnvironment();
        phone.Reset(task);
        foreach (var turn in new[] { "tap 1", "tap 1", "tap 1", "type 1 \"7\"", "type 2 \"05\"" }) Assert.Equal(1.0, phone.Step(turn).StepReward);
        Assert.Equal("Alarms: 7:05. 1 Add alarm", phone.Step("tap 3").Observation);
        var done = phone.Step("done");
        Assert.True(done.Done);
        Assert.Equal(1.0, done.StepReward);
        Assert.True(phone.Succeeded);
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
        Assert.Contains("parameters.goal", EnvironmentCatalog.Validate(Task(PhoneAppEnvironment.Name, 1, """{"goal": "email"}""")));
        Assert.Contains("parameters.minute", EnvironmentCatalog.Validate(Task(PhoneAppEnvironment.Name, 1, """{"minute": 75}""")));
    }
}
