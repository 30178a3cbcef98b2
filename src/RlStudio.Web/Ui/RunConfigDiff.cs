using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;

namespace RlStudio.Web.Ui;

/// <summary>
/// Several runs' configurations side by side, one row per field (what it trains, then every setting any of their
/// algorithms takes), each cell the value as the API writes it, or <see cref="NotUsed"/> where that run's algorithm
/// takes no such setting. A row <see cref="ConfigRow.Differs"/> when the runs do not all agree.
/// </summary>
public static class RunConfigDiff
{
    public const string NotUsed = "—";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<ConfigRow> Rows(IReadOnlyList<RunDto> runs)
    {
        var rows = new List<ConfigRow>
        {
            Row("algorithm", runs, r => WireName.Of(r.Algorithm)),
            Row("dataset", runs, r => r.DatasetName ?? NotUsed),
            Row("base", runs, r => r.Algorithm.IsNative() ? RunDisplay.BaseLabel(r.Base) : NotUsed),
            Row("rewards", runs, r => !r.Algorithm.IsNative() ? NotUsed : r.Rewards.Count == 0 ? "none"
                : string.Join(", ", r.Rewards.Select(w => $"{WireName.Of(w.Type)} ×{w.Weight.ToString("0.###", CultureInfo.InvariantCulture)}"))),
            Row("seed", runs, r => r.Algorithm.IsNative() ? r.Seed.ToString(CultureInfo.InvariantCulture) : NotUsed),
        };
        // An external run's configuration is its MLflow params.
        foreach (var key in runs.SelectMany(r => r.Params?.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            rows.Add(new ConfigRow($"params.{key}", runs.Select(r => r.Params?.GetValueOrDefault(key) ?? NotUsed).ToList()));
        }
        var settings = runs.Select(r => JsonSerializer.SerializeToElement(r.Settings, Json)).ToList();
        var takes = runs.Select(r => RunSettingCatalog.KeysFor(r.Algorithm).ToHashSet(StringComparer.Ordinal)).ToList();
        foreach (var key in takes.SelectMany(k => k).Distinct(StringComparer.Ordinal))
        {
            rows.Add(new ConfigRow(key, runs.Select((_, i) => takes[i].Contains(key) ? Format(settings[i], key) : NotUsed).ToList()));
        }
        return rows;
    }

    private static ConfigRow Row(string key, IReadOnlyList<RunDto> runs, Func<RunDto, string> value) => new(key, runs.Select(value).ToList());

    private static string Format(JsonElement settings, string key) =>
        !settings.TryGetProperty(key, out var value) ? NotUsed : value.ValueKind switch
        {
            JsonValueKind.Null => "auto",
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ToString())),
            _ => value.GetRawText(),
        };
}

/// <summary>One field of <see cref="RunConfigDiff"/>: its values in the runs' order.</summary>
public sealed record ConfigRow(string Key, IReadOnlyList<string> Values)
{
    public bool Differs => Values.Distinct(StringComparer.Ordinal).Count() > 1;
}
