namespace RlStudio.Contracts.Runs.Settings;

/// <summary>
/// Declares a property of <see cref="RunSettings"/> a run setting: the algorithms that take it, its label and one-line
/// doc (shown by the New Run form and <c>docs/algorithms.md</c>). Its range is a
/// <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>, its default the property's initializer unless a
/// <see cref="DefaultForAttribute"/> says otherwise for an algorithm.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RunSettingAttribute(SettingScope scope, string label, string doc) : Attribute
{
    public SettingScope Scope { get; } = scope;
    public string Label { get; } = label;
    public string Doc { get; } = doc;

    /// <summary>Shown among the New Run form's main fields (the others are under "All settings").</summary>
    public bool Main { get; init; }

    /// <summary>Read by the platform (checkpointing, retention), not by the trainer.</summary>
    public bool PlatformOnly { get; init; }

    /// <summary>
    /// May change while the run trains (<c>PATCH /api/runs/{id}/settings</c>), from a step boundary on: the settings that
    /// shape neither the model, the data order nor memory. The engine's <c>TrainerOptions.AdjustableKeys</c> must hold every
    /// steerable setting the trainer reads (an architecture test checks).
    /// </summary>
    public bool Steerable { get; init; }

    /// <summary>Not taken by agentic runs (a task dataset), which have a setting of their own for it.</summary>
    public bool SingleTurn { get; init; }
}
