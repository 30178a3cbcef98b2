using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace RlStudio.Data.Tracking;

/// <summary>
/// What an external trainer writes to its run through the MLflow API, each change one statement (safe when a trainer's
/// threads log at once): params added (never changed), tags set or removed, the step moved forward.
/// </summary>
public static class ExternalRunStore
{
    /// <summary>Adds params; keys already there keep their value (the caller checks that none differs).</summary>
    public static Task AddParamsAsync(this RlStudioDbContext db, long runId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        values.Count == 0 ? Task.CompletedTask : db.Database.ExecuteSqlRawAsync(
            "UPDATE runs SET params = @values || params WHERE id = @run",
            [Jsonb("values", values), new NpgsqlParameter("run", runId)], cancellationToken);

    public static Task SetTagsAsync(this RlStudioDbContext db, long runId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        values.Count == 0 ? Task.CompletedTask : db.Database.ExecuteSqlRawAsync(
            "UPDATE runs SET external_tags = external_tags || @values WHERE id = @run",
            [Jsonb("values", values), new NpgsqlParameter("run", runId)], cancellationToken);

    /// <summary>Removes a tag; false when the run has no such tag.</summary>
    public static async Task<bool> DeleteTagAsync(this RlStudioDbContext db, long runId, string key, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE runs SET external_tags = external_tags - @key WHERE id = @run AND external_tags ? @key",
            [new NpgsqlParameter("key", key), new NpgsqlParameter("run", runId)], cancellationToken) == 1;

    /// <summary>The run's step becomes <paramref name="step"/> when that is further.</summary>
    public static Task RaiseStepAsync(this RlStudioDbContext db, long runId, int step, CancellationToken cancellationToken) =>
        db.Runs.Where(r => r.Id == runId && r.Step < step).ExecuteUpdateAsync(u => u.SetProperty(r => r.Step, step), cancellationToken);

    private static NpgsqlParameter Jsonb(string name, IReadOnlyDictionary<string, string> values) =>
        new(name, NpgsqlDbType.Jsonb) { Value = System.Text.Json.JsonSerializer.Serialize(values) };
}
