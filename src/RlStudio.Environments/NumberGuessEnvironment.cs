using System.Globalization;
using System.Text.RegularExpressions;

namespace RlStudio.Environments;

/// <summary>
/// <c>number_guess</c>: find a secret number from 1 to <c>max</c> (parameter, default 100; the secret comes from the task's
/// seed) by guessing, told after each guess whether it is higher or lower and the range left. A turn is <c>guess N</c>
/// with N from 1 to <c>max</c> (anything else is an invalid action).
/// Action-level reward: 1 for a guess inside the range still possible (a guess the feedback so far does not rule out),
/// else 0. Success: the number is guessed. Info: <c>guesses</c>.
/// </summary>
public sealed partial class NumberGuessEnvironment : IEnvironment
{
    public const string Name = "number_guess";
    private const int DefaultMax = 100;

    private int _secret;
    private int _max;
    private int _low;
    private int _high;

    public bool Succeeded { get; private set; }

    public string Reset(EnvironmentTask task)
    {
        var max = _max = task.Int("max", DefaultMax);
        _secret = SecretOf(task.Seed, max);
        (_low, _high) = (1, max);
        Succeeded = false;
        return $"{task.Task}\nNumber 1 to {max}. Reply: guess N";
    }

    public EnvironmentStep Step(string turn)
    {
        var match = Guess().Match(turn);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var guess) || guess < 1 || guess > _max)
        {
            return new EnvironmentStep($"Invalid: say guess N with N from {_low} to {_high}.", 0, Done: false, ValidAction: false);
        }
        var consistent = guess >= _low && guess <= _high ? 1.0 : 0.0;
        var info = new Dictionary<string, double> { ["guesses"] = 1 };
        if (guess == _secret)
        {
            Succeeded = true;
            return new EnvironmentStep("Correct!", consistent, Done: true, ValidAction: true, info);
        }
        if (guess < _secret) _low = Math.Max(_low, guess + 1);
        else _high = Math.Min(_high, guess - 1);
        return new EnvironmentStep($"{(guess < _secret ? "Higher" : "Lower")}: {_low} to {_high}.", consistent, Done: false, ValidAction: true, info);
    }

    private static int SecretOf(int seed, int max) => new Random(seed).Next(1, max + 1);

    [GeneratedRegex(@"^\s*guess\s+(\d{1,9})\s*\.?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Guess();

    /// <summary>The kind: <c>max</c> from 2 to 1 000 000; demonstrations guess by bisection.</summary>
    public sealed class Kind : IEnvironmentKind
    {
        string IEnvironmentKind.Name => Name;

        public string? Validate(EnvironmentTask task) =>
            task.Int("max", DefaultMax) is < 2 or > 1_000_000 ? "parameters.max: an integer from 2 to 1000000" : null;

        public IEnvironment Create() => new NumberGuessEnvironment();

        public IReadOnlyList<string> Demonstrate(EnvironmentTask task)
        {
            var secret = SecretOf(task.Seed, task.Int("max", DefaultMax));
            var (low, high) = (1, task.Int("max", DefaultMax));
            var turns = new List<string>();
            while (true)
            {
                var guess = low + (high - low) / 2;
                turns.Add($"guess {guess}");
                if (guess == secret) return turns;
                if (guess < secret) low = guess + 1;
                else high = guess - 1;
            }
        }
    }
}
