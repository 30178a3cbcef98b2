using System.Reflection;
using System.Text.Json;
using RlStudio.Engine.Model;

namespace RlStudio.Engine;

/// <summary>
/// The <see cref="TrainerOptions"/> a trainer can change between two steps (<see cref="Trainer.Adjust"/>): the ones that
/// shape neither the model, the data order, the held-out split nor memory — learning rate, sampling, KL and clip weights,
/// the preference and value weights, gradient clipping and the step count. Everything else is fixed for a run's life.
/// </summary>
public static class AdjustableOptions
{
    private static readonly PropertyInfo[] Adjustable = new[]
    {
        nameof(TrainerOptions.Steps), nameof(TrainerOptions.LearningRate), nameof(TrainerOptions.Temperature),
        nameof(TrainerOptions.TopK), nameof(TrainerOptions.TopP), nameof(TrainerOptions.Beta),
        nameof(TrainerOptions.ClipEpsilon), nameof(TrainerOptions.ClipEpsilonLow), nameof(TrainerOptions.ClipEpsilonHigh),
        nameof(TrainerOptions.MaxGradNorm), nameof(TrainerOptions.ValueLossCoef), nameof(TrainerOptions.PreferenceBeta),
        nameof(TrainerOptions.RewardMargin),
    }.Select(name => typeof(TrainerOptions).GetProperty(name)!).ToArray();

    private static readonly PropertyInfo[] Fixed = typeof(TrainerOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && !Adjustable.Contains(p))
        .ToArray();

    /// <summary>The adjustable options' keys in the run-settings vocabulary (<see cref="TrainerOptionsJson"/>): camelCase.</summary>
    public static IReadOnlyList<string> Keys { get; } = Adjustable.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    /// <summary>The options other than the adjustable ones in which <paramref name="next"/> differs from <paramref name="current"/>.</summary>
    public static IReadOnlyList<string> FixedDifferences(TrainerOptions current, TrainerOptions next) =>
        Fixed.Where(p => !SameValue(p.GetValue(current), p.GetValue(next))).Select(p => p.Name).ToArray();

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (LoraOptions x, LoraOptions y) => x.Rank == y.Rank && x.Alpha.Equals(y.Alpha) && x.TargetModules.SequenceEqual(y.TargetModules),
        _ => Equals(a, b),
    };
}
