using Microsoft.EntityFrameworkCore;

namespace RlStudio.Data.Storage;

/// <summary>A run's user-editable labels: name, notes and tags.</summary>
public static class RunLabelStore
{
    /// <summary>
    /// Sets the labels given (null leaves one as it is; <paramref name="setNotes"/> with null notes clears them). Returns the
    /// labels before the change, or null when the run does not exist.
    /// </summary>
    public static async Task<StoredRunLabels?> UpdateLabelsAsync(this RlStudioDbContext db, long runId, string? name, bool setNotes, string? notes,
        IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var before = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new StoredRunLabels(r.Name, r.Notes, r.Tags)).SingleOrDefaultAsync(cancellationToken);
        if (before is null) return null;
        var newTags = tags?.ToList();
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Name, r => name ?? r.Name)
            .SetProperty(r => r.Notes, r => setNotes ? notes : r.Notes)
            .SetProperty(r => r.Tags, r => newTags ?? r.Tags), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before;
    }
}

/// <summary>A run's name, notes and tags.</summary>
public sealed record StoredRunLabels(string Name, string? Notes, List<string> Tags);
