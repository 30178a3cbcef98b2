using System.Text;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Architecture.Tests;

/// <summary>
/// docs/algorithms.md lists every run setting as declared on RunSettings (algorithms, default per algorithm, range, doc):
/// its table is generated from the declarations, so the docs cannot drift. <c>RLSTUDIO_WRITE_DOCS=1</c> rewrites it.
/// </summary>
public sealed class SettingsDocTests
{
    private const string Begin = "<!-- settings table: generated from RunSettings by SettingsDocTests -->";
    private const string End = "<!-- end of settings table -->";

    [Fact]
    public void AlgorithmsDoc_SettingsTable_MatchesTheDeclarations()
    {
        var path = RepositoryRoot.Combine("docs", "algorithms.md");
        var doc = File.ReadAllText(path);
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/algorithms.md needs the markers {Begin} … {End}.");
        var current = doc[(start + Begin.Length)..end];
        var expected = "\n" + Table();
        if (current != expected && Environment.GetEnvironmentVariable("RLSTUDIO_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..(start + Begin.Length)] + expected + doc[end..]);
            return;
        }
        Assert.True(current == expected, $"docs/algorithms.md's settings table is stale; run the tests with RLSTUDIO_WRITE_DOCS=1. Expected:\n{expected}");
    }

    private static string Table()
    {
        var table = new StringBuilder();
        table.Append("| setting | algorithms | default | range | what it does |\n|---|---|---|---|---|\n");
        foreach (var setting in RunSettingCatalog.All)
        {
            var range = setting.Kind switch
            {
                SettingKind.Integer or SettingKind.Number => setting.Range + (setting.IsNullable ? " or empty" : ""),
                SettingKind.Choice => string.Join(" \\| ", setting.Choices.Select(c => $"`{c}`")),
                SettingKind.ChoiceList => "any of " + string.Join(", ", setting.Choices.Select(c => $"`{c}`")),
                SettingKind.Boolean => "true \\| false",
                SettingKind.MetricKey => "a metric key",
                _ => "",
            };
            var data = setting.Scope == SettingScope.Agent ? " (task datasets)" : setting.SingleTurn ? " (not task datasets)" : "";
            var steerable = setting.Steerable ? " *Steerable: can change while the run trains.*" : "";
            table.Append($"| `{setting.Key}` | {Algorithms(setting.Scope)}{data} | {Defaults(setting)} | {range} | {setting.Doc}{steerable} |\n");
        }
        return table.ToString();
    }

    private static string Algorithms(SettingScope scope) =>
        scope == SettingScope.All ? "all" : string.Join(", ", scope.Algorithms().Select(WireName.Of));

    /// <summary>The most common default, then the algorithms whose default differs: <c>32 (grpo, rloo: 128)</c>.</summary>
    private static string Defaults(RunSettingDescriptor setting)
    {
        var groups = setting.Scope.Algorithms()
            .GroupBy(a => Value(setting, setting.DefaultFor(a)))
            .OrderByDescending(g => g.Count())
            .ToList();
        var others = groups.Skip(1).Select(g => $"{string.Join(", ", g.Select(WireName.Of))}: {g.Key}");
        return groups[0].Key + (groups.Count > 1 ? $" ({string.Join("; ", others)})" : "");
    }

    private static string Value(RunSettingDescriptor setting, object? value) => value is null ? "empty"
        : setting.ToJson(value)!.ToJsonString().Replace("\"", "", StringComparison.Ordinal).Replace(",", ", ", StringComparison.Ordinal);
}
