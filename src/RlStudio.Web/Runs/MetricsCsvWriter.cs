using System.Globalization;
using System.Text;
using RlStudio.Contracts.Metrics;

namespace RlStudio.Web.Runs;

/// <summary>
/// A run's metrics as one wide CSV table, the shape pandas and spreadsheets read directly: a <c>step</c> column, then
/// one column per metric key; a cell is empty where that metric has no value at that step. Values are written in
/// round-trip form (<c>NaN</c>, <c>Infinity</c> as such).
/// </summary>
public static class MetricsCsvWriter
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> keys, IAsyncEnumerable<MetricPoint> pointsByStep, CancellationToken cancellationToken)
    {
        var columns = keys.Select((key, index) => (key, index)).ToDictionary(c => c.key, c => c.index, StringComparer.Ordinal);
        await output.WriteLineAsync(string.Join(',', keys.Prepend("step").Select(Escape)));
        var row = new string?[keys.Count];
        int? step = null;
        await foreach (var point in pointsByStep.WithCancellation(cancellationToken))
        {
            if (step is { } current && current != point.Step)
            {
                await WriteRowAsync(output, current, row);
            }
            step = point.Step;
            if (columns.TryGetValue(point.Key, out var column))
            {
                row[column] = point.Value.ToString("R", CultureInfo.InvariantCulture);
            }
        }
        if (step is { } last)
        {
            await WriteRowAsync(output, last, row);
        }
    }

    private static async Task WriteRowAsync(TextWriter output, int step, string?[] row)
    {
        var line = new StringBuilder(step.ToString(CultureInfo.InvariantCulture));
        foreach (var cell in row)
        {
            line.Append(',').Append(cell);
        }
        await output.WriteLineAsync(line.ToString());
        Array.Clear(row);
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}
