using System.Globalization;
using System.Text.RegularExpressions;

namespace RlStudio.Environments;

/// <summary>
/// <c>phone_app</c>: a phone as text, in the spirit of Mobile-R1. Each observation is a screen with numbered elements; a
/// turn is <c>tap N</c>, <c>type N "text"</c>, <c>back</c> or <c>done</c>. Goals (parameter <c>goal</c>): <c>alarm</c> —
/// set an alarm for <c>hour</c>:<c>minute</c> (parameters, else drawn from the seed) through Clock → Alarms → Add alarm —
/// or <c>wifi</c> — turn Wi-Fi on in Settings. <c>done</c> ends the episode; it succeeds when the phone's state then
/// meets the goal. Action-level reward: 1 for the action a shortest path to the goal takes on that screen, else 0.
/// Info: <c>taps</c>, <c>types</c>.
/// </summary>
public sealed partial class PhoneAppEnvironment : IEnvironment
{
    public const string Name = "phone_app";

    private enum Screen { Home, Clock, Alarms, AddAlarm, Settings }

    private readonly HashSet<(int Hour, int Minute)> _alarms = [];
    private Screen _screen;
    private string _hourField = "";
    private string _minuteField = "";
    private bool _wifi;
    private Goal _goal = null!;

    public bool Succeeded { get; private set; }

    public string Reset(EnvironmentTask task)
    {
        _goal = Goal.Of(task);
        (_screen, _hourField, _minuteField, _wifi, Succeeded) = (Screen.Home, "", "", false, false);
        _alarms.Clear();
        return $"{task.Task}\n{Render()}";
    }

    public EnvironmentStep Step(string turn)
    {
        var expert = ExpertAction();
        var action = Normalize(turn);
        if (action is null || !Apply(action)) return new EnvironmentStep($"Invalid action.\n{Render()}", 0, Done: false, ValidAction: false);
        var reward = action == expert ? 1.0 : 0.0;
        var info = new Dictionary<string, double> { [action.StartsWith("type", StringComparison.Ordinal) ? "types" : "taps"] = 1 };
        if (action == "done")
        {
            Succeeded = GoalMet;
            return new EnvironmentStep(Succeeded ? "Task complete." : "Task not complete.", reward, Done: true, ValidAction: true, info);
        }
        return new EnvironmentStep(Render(), reward, Done: false, ValidAction: true, info);
    }

    private bool GoalMet => _goal.Wifi ? _wifi : _alarms.Contains((_goal.Hour, _goal.Minute));

    /// <summary>The screen as text: its title and numbered elements.</summary>
    private string Render() => _screen switch
    {
        Screen.Home => "Home: 1 Clock, 2 Settings",
        Screen.Clock => "Clock: 1 Alarms, 2 Timer",
        Screen.Alarms => "Alarms: " + (_alarms.Count == 0 ? "none" : string.Join(", ", _alarms.Order().Select(a => $"{a.Hour}:{a.Minute:D2}"))) + ". 1 Add alarm",
        Screen.AddAlarm => $"Add alarm: 1 Hour [{_hourField}], 2 Minute [{_minuteField}], 3 Save",
        Screen.Settings => $"Settings: 1 Wi-Fi [{(_wifi ? "on" : "off")}]",
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Applies a normalized action; false when the screen has no such element (nothing changes).</summary>
    private bool Apply(string action)
    {
        switch (action.Split(' ', 3))
        {
            case ["done"]:
                return true;
            case ["back"]:
                _screen = _screen switch { Screen.AddAlarm => Screen.Alarms, Screen.Alarms => Screen.Clock, _ => Screen.Home };
                return true;
            case ["tap", var n]:
                return Tap(int.Parse(n, CultureInfo.InvariantCulture));
            case ["type", var n, var text] when _screen == Screen.AddAlarm && text.Length <= 2 && text.All(char.IsAsciiDigit):
                if (n == "1") _hourField = text;
                else if (n == "2") _minuteField = text;
                else return false;
                return true;
            default:
                return false;
        }
    }

    private bool Tap(int element)
    {
        switch (_screen, element)
        {
            case (Screen.Home, 1): _screen = Screen.Clock; return true;
            case (Screen.Home, 2): _screen = Screen.Settings; return true;
            case (Screen.Clock, 1): _screen = Screen.Alarms; return true;
            case (Screen.Clock, 2): return true;   // the timer: nothing to do here
            case (Screen.Alarms, 1): (_screen, _hourField, _minuteField) = (Screen.AddAlarm, "", ""); return true;
            case (Screen.Settings, 1): _wifi = !_wifi; return true;
            case (Screen.AddAlarm, 3):
                if (int.TryParse(_hourField, CultureInfo.InvariantCulture, out var hour) && int.TryParse(_minuteField, CultureInfo.InvariantCulture, out var minute)
                    && hour is >= 0 and < 24 && minute is >= 0 and < 60)
                {
                    _alarms.Add((hour, minute));
                    _screen = Screen.Alarms;
                }
                return true;   // an incomplete form stays open
            default:
                return false;
        }
    }

    /// <summary>The action a shortest path to the goal takes from here (normalized).</summary>
    private string ExpertAction()
    {
        if (GoalMet) return "done";
        if (_goal.Wifi) return _screen switch { Screen.Home => "tap 2", Screen.Settings => "tap 1", _ => "back" };
        return _screen switch
        {
            Screen.Home => "tap 1",
            Screen.Clock => "tap 1",
            Screen.Alarms => "tap 1",
            Screen.AddAlarm when _hourField != _goal.HourText => $"type 1 {_goal.HourText}",
            Screen.AddAlarm when _minuteField != _goal.MinuteText => $"type 2 {_goal.MinuteText}",
            Screen.AddAlarm => "tap 3",
            _ => "back",
        };
    }

    /// <summary>A turn as a canonical action (<c>tap 3</c>, <c>type 1 07</c>, <c>back</c>, <c>done</c>), or null when it is none.</summary>
    private static string? Normalize(string turn)
    {
        var match = Action().Match(turn);
        if (!match.Success) return null;
        var verb = match.Groups["verb"].Value.ToLowerInvariant();
        return verb switch
        {
            "tap" when match.Groups["n"].Success && !match.Groups["text"].Success => $"tap {int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture)}",
            "type" when match.Groups["n"].Success && match.Groups["text"].Success => $"type {int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture)} {match.Groups["text"].Value}",
            "back" or "done" when !match.Groups["n"].Success => verb,
            _ => null,
        };
    }

    [GeneratedRegex("""^\s*(?<verb>tap|type|back|done)(?:\s+(?<n>\d{1,2}))?(?:\s+"(?<text>[^"]{0,20})")?\s*\.?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex Action();

    private sealed record Goal(bool Wifi, int Hour, int Minute)
    {
        public string HourText => Hour.ToString(CultureInfo.InvariantCulture);
        public string MinuteText => Minute.ToString("D2", CultureInfo.InvariantCulture);

        public static Goal Of(EnvironmentTask task)
        {
            var random = new Random(task.Seed);
            var wifi = task.Parameters?.TryGetValue("goal", out var goal) == true && goal.ValueKind == System.Text.Json.JsonValueKind.String && goal.GetString() == "wifi";
            return new Goal(wifi, task.Int("hour", random.Next(0, 24)), task.Int("minute", random.Next(0, 12) * 5));
        }
    }

    /// <summary>The kind: <c>goal</c> alarm (default) or wifi; <c>hour</c> 0–23, <c>minute</c> 0–59; demonstrations follow the shortest path.</summary>
    public sealed class Kind : IEnvironmentKind
    {
        string IEnvironmentKind.Name => Name;

        public string? Validate(EnvironmentTask task)
        {
            if (task.Parameters?.TryGetValue("goal", out var goal) == true
                && (goal.ValueKind != System.Text.Json.JsonValueKind.String || goal.GetString() is not ("alarm" or "wifi")))
                return "parameters.goal: \"alarm\" or \"wifi\"";
            if (task.Int("hour", 0) is < 0 or > 23) return "parameters.hour: an integer from 0 to 23";
            if (task.Int("minute", 0) is < 0 or > 59) return "parameters.minute: an integer from 0 to 59";
            return null;
        }

        public IEnvironment Create() => new PhoneAppEnvironment();

        public IReadOnlyList<string> Demonstrate(EnvironmentTask task)
        {
            var environment = new PhoneAppEnvironment();
            environment.Reset(task);
            var turns = new List<string>();
            while (turns.Count < 20)
            {
                var action = environment.ExpertAction();
                var turn = action.StartsWith("type", StringComparison.Ordinal) ? $"type {action.Split(' ')[1]} \"{action.Split(' ')[2]}\"" : action;
                turns.Add(turn);
                if (environment.Step(turn).Done) return turns;
            }
            throw new InvalidOperationException("The demonstration did not finish.");
        }
    }
}
