namespace RlStudio.Web.Ui;

/// <summary>
/// A run's training speed as a page watches it: the steps reported over the last <see cref="Window"/>, hence steps per
/// second and the time left to the last step. Nothing until two reports with different steps have been seen.
/// </summary>
public sealed class StepRate
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly Queue<(DateTimeOffset At, int Step)> _seen = new();

    public void Observe(int step, DateTimeOffset at)
    {
        if (_seen.Count > 0 && step < _seen.Last().Step)
        {
            _seen.Clear(); // resumed from an earlier checkpoint: start over
        }
        _seen.Enqueue((at, step));
        while (_seen.Count > 2 && at - _seen.Peek().At > Window)
        {
            _seen.Dequeue();
        }
    }

    public void Reset() => _seen.Clear();

    /// <summary>Steps per second over the window, or null.</summary>
    public double? StepsPerSecond
    {
        get
        {
            if (_seen.Count < 2) return null;
            var (firstAt, firstStep) = _seen.Peek();
            var (lastAt, lastStep) = _seen.Last();
            var seconds = (lastAt - firstAt).TotalSeconds;
            return seconds > 0 && lastStep > firstStep ? (lastStep - firstStep) / seconds : null;
        }
    }

    /// <summary>Time left to <paramref name="totalSteps"/> at the current rate, or null.</summary>
    public TimeSpan? Remaining(int step, int totalSteps) =>
        StepsPerSecond is { } rate ? TimeSpan.FromSeconds(Math.Max(0, totalSteps - step) / rate) : null;

    /// <summary>"3.2 steps/s · ≈ 1m 05s left", or null while unknown.</summary>
    public string? Describe(int step, int totalSteps) =>
        StepsPerSecond is { } rate && Remaining(step, totalSteps) is { } left
            ? $"{(rate >= 10 ? rate.ToString("0") : rate.ToString("0.0#"))} steps/s · ≈ {Duration(left)} left"
            : null;

    /// <summary>"45s", "3m 05s", "2h 07m".</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => $"{Math.Ceiling(span.TotalSeconds):0}s",
        < 3600 => $"{(int)span.TotalMinutes}m {span.Seconds:00}s",
        _ => $"{(int)span.TotalHours}h {span.Minutes:00}m",
    };
}
