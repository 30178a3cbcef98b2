namespace RlStudio.Contracts.Runs.Settings;

/// <summary>
/// A run setting's default for the algorithms of <paramref name="scope"/>, where it differs from the property's
/// initializer. When several apply, the narrowest scope wins.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class DefaultForAttribute(SettingScope scope, object value) : Attribute
{
    public SettingScope Scope { get; } = scope;
    public object Value { get; } = value;
}
