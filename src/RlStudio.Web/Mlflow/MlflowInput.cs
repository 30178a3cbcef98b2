using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Mlflow;

namespace RlStudio.Web.Mlflow;

/// <summary>MLflow request values checked as MLflow checks them (keys, lengths, duplicates, times), with its error messages.</summary>
internal static class MlflowInput
{
    internal static (MetricPoint Point, DateTimeOffset? Time) Point(MlflowMetric metric, string field)
    {
        if (string.IsNullOrEmpty(metric.Key)) throw MlflowException.Invalid($"Missing value for required parameter '{field}.key'.");
        if (metric.Key.Length > MetricPoint.MaxKeyLength) throw MlflowException.Invalid($"Metric key '{metric.Key[..40]}…' is longer than {MetricPoint.MaxKeyLength} characters.");
        if (metric.Value is not { } value) throw MlflowException.Invalid($"Missing value for required parameter '{field}.value'.");
        if (metric.Timestamp is not { } timestamp) throw MlflowException.Invalid($"Missing value for required parameter '{field}.timestamp'.");
        var step = metric.Step ?? 0;
        if (step is < 0 or > int.MaxValue) throw MlflowException.Invalid($"'{field}.step' must be in 0..{int.MaxValue} (got {step}).");
        return (new MetricPoint(metric.Key, (int)step, value), FromMillis(timestamp, $"{field}.timestamp"));
    }

    internal static Dictionary<string, string> Params(IReadOnlyList<MlflowParam> parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            Key(p.Key, "param");
            var value = p.Value ?? "";
            if (value.Length > MlflowLimits.MaxParamValueLength)
                throw MlflowException.Invalid($"Param value for '{p.Key}' had length {value.Length}, which exceeded length limit of {MlflowLimits.MaxParamValueLength}.");
            if (values.TryGetValue(p.Key!, out var earlier) && earlier != value)
                throw MlflowException.Invalid($"Duplicate parameter keys have been submitted: ['{p.Key}']. Please ensure the request contains only one param value per param key.");
            values[p.Key!] = value;
        }
        return values;
    }

    internal static Dictionary<string, string> Tags(IReadOnlyList<MlflowTag>? tags, string field)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tags ?? [])
        {
            Key(t.Key, field);
            var value = t.Value ?? "";
            if (value.Length > MlflowLimits.MaxTagValueLength)
                throw MlflowException.Invalid($"Tag value for '{t.Key}' had length {value.Length}, which exceeded length limit of {MlflowLimits.MaxTagValueLength}.");
            values[t.Key!] = value;
        }
        return values;
    }

    internal static void Key(string? key, string what)
    {
        if (string.IsNullOrEmpty(key)) throw MlflowException.Invalid($"Missing value for required parameter '{what}.key'.");
        if (key.Length > MlflowLimits.MaxKeyLength) throw MlflowException.Invalid($"{what} key '{key[..40]}…' had length {key.Length}, which exceeded length limit of {MlflowLimits.MaxKeyLength}.");
        if (key.Contains("..") || key.StartsWith('/') || key.Any(char.IsControl))
            throw MlflowException.Invalid($"Invalid {what} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.");
    }

    internal static DateTimeOffset FromMillis(long ms, string field)
    {
        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw MlflowException.Invalid($"'{field}' is not a time in milliseconds since 1970 (got {ms}).");
        }
    }
}
