using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Runs.Settings;

/// <summary>
/// One run setting as declared on its <see cref="RunSettings"/> property: wire key, kind, range or choices, the algorithms
/// that take it and its default for each, label and doc. Reads and writes the setting on a <see cref="RunSettings"/>.
/// </summary>
public sealed class RunSettingDescriptor
{
    private readonly PropertyInfo _property;
    private readonly DefaultForAttribute[] _defaults;
    private readonly object? _initialValue;

    internal RunSettingDescriptor(PropertyInfo property, RunSettings initial)
    {
        _property = property;
        var declared = property.GetCustomAttribute<RunSettingAttribute>()
            ?? throw new InvalidOperationException($"RunSettings.{property.Name} has no [RunSetting].");
        Key = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
        Scope = declared.Scope;
        Label = declared.Label;
        Doc = declared.Doc;
        Main = declared.Main;
        PlatformOnly = declared.PlatformOnly;
        SingleTurn = declared.SingleTurn;
        Steerable = declared.Steerable;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        IsNullable = type != property.PropertyType;
        Kind = type == typeof(int) ? SettingKind.Integer
            : type == typeof(double) ? SettingKind.Number
            : type == typeof(bool) ? SettingKind.Boolean
            : type.IsEnum ? SettingKind.Choice
            : type == typeof(IReadOnlyList<string>) ? SettingKind.ChoiceList
            : type == typeof(string) ? SettingKind.MetricKey
            : throw new InvalidOperationException($"RunSettings.{property.Name}: no setting kind for {type}.");
        Choices = Kind switch
        {
            SettingKind.Choice => Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, type).Trim('"')).ToArray(),
            SettingKind.ChoiceList => property.GetCustomAttribute<AllowedValuesAttribute>()?.Values.Select(v => (string)v!).ToArray()
                ?? throw new InvalidOperationException($"RunSettings.{property.Name} needs [AllowedValues]."),
            _ => [],
        };
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            Min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
            Max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
            MinExclusive = range.MinimumIsExclusive;
            MaxExclusive = range.MaximumIsExclusive;
        }
        else if (Kind is SettingKind.Integer or SettingKind.Number)
        {
            throw new InvalidOperationException($"RunSettings.{property.Name} needs a [Range].");
        }
        MaxLength = property.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? Metrics.MetricPoint.MaxKeyLength;
        _initialValue = property.GetValue(initial);
        _defaults = property.GetCustomAttributes<DefaultForAttribute>()
            .OrderBy(d => d.Scope.Algorithms().Count)   // the narrowest scope first
            .Select(d => new DefaultForAttribute(d.Scope, Convert.ChangeType(d.Value, type, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    /// <summary>The camelCase key on the wire, e.g. <c>learningRate</c>.</summary>
    public string Key { get; }

    public SettingScope Scope { get; }
    public string Label { get; }
    public string Doc { get; }
    public bool Main { get; }
    public bool PlatformOnly { get; }
    public bool SingleTurn { get; }

    /// <summary>May change while the run trains (see <see cref="RunSettingAttribute.Steerable"/>).</summary>
    public bool Steerable { get; }
    public SettingKind Kind { get; }

    /// <summary>Null is a valid value (a number that defaults to another setting's).</summary>
    public bool IsNullable { get; }

    /// <summary>The names a <see cref="SettingKind.Choice"/> or <see cref="SettingKind.ChoiceList"/> takes, as on the wire.</summary>
    public IReadOnlyList<string> Choices { get; }

    public double Min { get; }
    public double Max { get; }
    public bool MinExclusive { get; }
    public bool MaxExclusive { get; }

    /// <summary>Longest <see cref="SettingKind.MetricKey"/> value.</summary>
    public int MaxLength { get; }

    /// <summary>Whether a number is inside the range.</summary>
    public bool InRange(double value) => double.IsFinite(value)
        && (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The range as text: <c>[1, 100000]</c>, <c>(0, 1]</c>; empty for kinds without one.</summary>
    public string Range => Kind is SettingKind.Integer or SettingKind.Number
        ? $"{(MinExclusive ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}"
        : "";

    public bool Takes(Algorithm algorithm) => Scope.Includes(algorithm);

    /// <summary>
    /// Whether a run of <paramref name="algorithm"/> on a dataset of kind <paramref name="data"/> takes this setting:
    /// <see cref="SettingScope.Agent"/> settings only with a task dataset, <see cref="SingleTurn"/> ones only without.
    /// </summary>
    public bool Takes(Algorithm algorithm, Datasets.DatasetKind data) =>
        Takes(algorithm) && (Scope == SettingScope.Agent ? data == Datasets.DatasetKind.Tasks : !(SingleTurn && data == Datasets.DatasetKind.Tasks));

    /// <summary>The default value for an algorithm.</summary>
    public object? DefaultFor(Algorithm algorithm) =>
        _defaults.FirstOrDefault(d => d.Scope.Includes(algorithm)) is { } specific ? specific.Value : _initialValue;

    public object? Get(RunSettings settings) => _property.GetValue(settings);

    /// <summary>A copy of <paramref name="settings"/> with this setting set to <paramref name="value"/> (of the property's type).</summary>
    public RunSettings With(RunSettings settings, object? value)
    {
        var copy = settings with { };
        _property.SetValue(copy, value);
        return copy;
    }

    /// <summary>The value as on the wire.</summary>
    public JsonNode? ToJson(object? value) => JsonSerializer.SerializeToNode(value, _property.PropertyType);

    /// <summary>A wire value that has passed the checks of its kind, as the property's type (integers may be written 7.0).</summary>
    public object? FromJson(JsonNode? node) => Kind switch
    {
        _ when node is null => null,
        SettingKind.Integer => (int)double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        SettingKind.Number => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        SettingKind.MetricKey => node.GetValue<string>().Trim(),
        SettingKind.ChoiceList => node.AsArray().Select(v => v!.GetValue<string>()).Distinct().ToArray(),
        _ => node.Deserialize(_property.PropertyType),
    };

    public static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
