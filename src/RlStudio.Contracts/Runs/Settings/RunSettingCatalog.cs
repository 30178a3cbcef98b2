using System.Collections.Frozen;
using System.Reflection;

namespace RlStudio.Contracts.Runs.Settings;

/// <summary>Every run setting, read once from the declarations on <see cref="RunSettings"/> (in declaration order).</summary>
public static class RunSettingCatalog
{
    public static IReadOnlyList<RunSettingDescriptor> All { get; } = typeof(RunSettings)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new RunSettingDescriptor(p, new RunSettings()))
        .ToArray();

    private static readonly FrozenDictionary<string, RunSettingDescriptor> ByKey = All.ToFrozenDictionary(d => d.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Algorithm, RunSettings> Defaults =
        Enum.GetValues<Algorithm>().ToFrozenDictionary(a => a, BuildDefaults);

    /// <summary>The setting with this wire key, or null.</summary>
    public static RunSettingDescriptor? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The settings an algorithm takes.</summary>
    public static IReadOnlyList<RunSettingDescriptor> For(Algorithm algorithm) => All.Where(d => d.Takes(algorithm)).ToArray();

    /// <summary>The settings a run of an algorithm on a kind of dataset takes (<see cref="RunSettingDescriptor.Takes(Algorithm, Datasets.DatasetKind)"/>).</summary>
    public static IReadOnlyList<RunSettingDescriptor> For(Algorithm algorithm, Datasets.DatasetKind data) => All.Where(d => d.Takes(algorithm, data)).ToArray();

    /// <summary>The wire keys an algorithm takes.</summary>
    public static IReadOnlyList<string> KeysFor(Algorithm algorithm) => All.Where(d => d.Takes(algorithm)).Select(d => d.Key).ToArray();

    /// <summary>An algorithm's default settings.</summary>
    public static RunSettings DefaultsFor(Algorithm algorithm) => Defaults[algorithm];

    private static RunSettings BuildDefaults(Algorithm algorithm) =>
        All.Aggregate(new RunSettings(), (settings, d) => d.With(settings, d.DefaultFor(algorithm)));
}
