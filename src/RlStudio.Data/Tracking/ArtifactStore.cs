using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Tracking;

/// <summary>An external run's artifact files: written whole (a path written again is replaced), read, listed by folder, deleted.</summary>
public static class ArtifactStore
{
    public sealed record Entry(string Path, bool IsDir, long? Size);

    /// <summary>
    /// Stores the file unless the run's files would then take more than <paramref name="maxRunBytes"/> (the file it
    /// replaces not counted); false when they would. Checked and written under the run's row lock.
    /// </summary>
    public static async Task<bool> PutArtifactAsync(this RlStudioDbContext db, long runId, string path, byte[] content, long maxRunBytes,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM runs WHERE id = @run FOR UPDATE", [new NpgsqlParameter("run", runId)], cancellationToken);
        var others = await db.RunArtifacts.Where(a => a.RunId == runId && a.Path != path).SumAsync(a => (long?)a.Size, cancellationToken) ?? 0;
        if (others + content.Length > maxRunBytes) return false;
        await db.RunArtifacts.Where(a => a.RunId == runId && a.Path == path).ExecuteDeleteAsync(cancellationToken);
        db.RunArtifacts.Add(new RunArtifact { RunId = runId, Path = path, Content = content, Size = content.Length, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    public static Task<byte[]?> ReadArtifactAsync(this RlStudioDbContext db, long runId, string path, CancellationToken cancellationToken) =>
        db.RunArtifacts.AsNoTracking().Where(a => a.RunId == runId && a.Path == path).Select(a => a.Content).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The files and folders directly in <paramref name="folder"/> ("" for the root), folders first, by name.</summary>
    public static async Task<List<Entry>> ListArtifactsAsync(this RlStudioDbContext db, long runId, string folder, CancellationToken cancellationToken)
    {
        var prefix = folder.Length == 0 ? "" : folder.TrimEnd('/') + "/";
        var files = await db.RunArtifacts.AsNoTracking().Where(a => a.RunId == runId && a.Path.StartsWith(prefix))
            .Select(a => new { a.Path, a.Size }).ToListAsync(cancellationToken);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var rest = file.Path[prefix.Length..];
            var slash = rest.IndexOf('/');
            var entry = slash < 0 ? new Entry(file.Path, false, file.Size) : new Entry(prefix + rest[..slash], true, null);
            entries.TryAdd(entry.Path, entry);
        }
        return entries.Values.OrderByDescending(e => e.IsDir).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes a file, or every file under a folder; how many went.</summary>
    public static Task<int> DeleteArtifactsAsync(this RlStudioDbContext db, long runId, string path, CancellationToken cancellationToken)
    {
        var folder = path.TrimEnd('/') + "/";
        return db.RunArtifacts.Where(a => a.RunId == runId && (a.Path == path || a.Path.StartsWith(folder))).ExecuteDeleteAsync(cancellationToken);
    }
}
