using RlStudio.Contracts.Runs;

namespace RlStudio.Worker.Training;

/// <summary>
/// The settings changes a training run has yet to apply: from its claim (those after its resume step, replayed at their
/// steps) and from each progress reply (new ones, for the next step boundary or a scheduled step). Each applies once per
/// training process, in step order and then in the order they were asked for, as the web host folds them
/// (<c>SettingChangeStore</c>). Not thread-safe; one per run.
/// </summary>
public sealed class SettingChangeSchedule
{
    private readonly Dictionary<long, SettingChangeDto> _waiting = [];
    private readonly HashSet<long> _applied = [];

    /// <summary>Adds changes not seen before (a reply repeats those the web host has not yet heard were applied).</summary>
    public void Add(IEnumerable<SettingChangeDto>? changes)
    {
        foreach (var change in changes ?? [])
        {
            if (!_applied.Contains(change.Id)) _waiting.TryAdd(change.Id, change);
        }
    }

    /// <summary>
    /// The changes due before the step after <paramref name="completedSteps"/> (scheduled for it or earlier, or for the next
    /// boundary), in the order they apply; they count as applied from then on.
    /// </summary>
    public IReadOnlyList<SettingChangeDto> TakeDue(int completedSteps)
    {
        var next = completedSteps + 1;
        var due = SettingChanges.InApplyOrder(_waiting.Values.Where(c => (c.Step ?? next) <= next), pendingStep: next).ToList();
        foreach (var change in due)
        {
            _waiting.Remove(change.Id);
            _applied.Add(change.Id);
        }
        return due;
    }
}
