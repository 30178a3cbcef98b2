using System.Globalization;
using System.Text.RegularExpressions;

namespace RlStudio.Environments;

/// <summary>
/// <c>calculator</c>: a tool-use task. The agent is asked for <c>a * b + c</c> (numbers of <c>digits</c> digits, parameter,
/// default 2, drawn from the task's seed) and may call a calculator, <c>calc(EXPRESSION)</c> with integers, + − * and
/// parentheses, reading the result, before it says <c>answer N</c>, which ends the episode. Action-level reward: 1 for a
/// calculator call whose result is the answer, else 0. Success: the answer is right. Info: <c>calc_calls</c>.
/// </summary>
public sealed partial class CalculatorEnvironment : IEnvironment
{
    public const string Name = "calculator";
    private const int DefaultDigits = 2;
    private const int MaxExpressionLength = 100;

    private long _answer;

    public bool Succeeded { get; private set; }

    public string Reset(EnvironmentTask task)
    {
        var (a, b, c) = Problem(task);
        _answer = a * b + c;
        Succeeded = false;
        return $"{task.Task}\nWhat is {a} * {b} + {c}? You may say calc(EXPRESSION) to use a calculator, then say: answer N";
    }

    public EnvironmentStep Step(string turn)
    {
        if (Answer().Match(turn) is { Success: true } answer && long.TryParse(answer.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var given))
        {
            Succeeded = given == _answer;
            return new EnvironmentStep(Succeeded ? "Correct." : "Wrong.", 0, Done: true, ValidAction: true);
        }
        if (Calc().Match(turn) is { Success: true } call && call.Groups[1].Value.Length <= MaxExpressionLength
            && ArithmeticExpression.TryEvaluate(call.Groups[1].Value, out var value))
        {
            var info = new Dictionary<string, double> { ["calc_calls"] = 1 };
            return new EnvironmentStep($"= {value.ToString(CultureInfo.InvariantCulture)}", value == _answer ? 1 : 0, Done: false, ValidAction: true, info);
        }
        return new EnvironmentStep("Invalid: say calc(EXPRESSION) with integers, + - * and parentheses, or answer N.", 0, Done: false, ValidAction: false);
    }

    private static (long A, long B, long C) Problem(EnvironmentTask task)
    {
        var digits = task.Int("digits", DefaultDigits);
        var random = new Random(task.Seed);
        var low = (long)Math.Pow(10, digits - 1);
        var high = (long)Math.Pow(10, digits);
        return (random.NextInt64(low, high), random.NextInt64(low, high), random.NextInt64(low, high));
    }

    [GeneratedRegex(@"^\s*answer\s*:?\s*(-?\d{1,18})\s*\.?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Answer();

    [GeneratedRegex(@"^\s*calc\((.*)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Calc();

    /// <summary>The kind: <c>digits</c> from 1 to 6; demonstrations call the calculator once, then answer.</summary>
    public sealed class Kind : IEnvironmentKind
    {
        string IEnvironmentKind.Name => Name;

        public string? Validate(EnvironmentTask task) =>
            task.Int("digits", DefaultDigits) is < 1 or > 6 ? "parameters.digits: an integer from 1 to 6" : null;

        public IEnvironment Create() => new CalculatorEnvironment();

        public IReadOnlyList<string> Demonstrate(EnvironmentTask task)
        {
            var (a, b, c) = Problem(task);
            return [$"calc({a}*{b}+{c})", $"answer {a * b + c}"];
        }
    }
}
