using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Storage;

/// <summary>Run alarms: raised once per run and kind, read per run.</summary>
public static class AlarmStore
{
    /// <summary>Stores the alarms of kinds the run has not raised yet; returns those newly stored.</summary>
    public static async Task<IReadOnlyList<AlarmDto>> RaiseAsync(this RlStudioDbContext db, long runId,
        IReadOnlyList<(string Kind, int Step, string Message)> alarms, CancellationToken cancellationToken)
    {
        if (alarms.Count == 0) return [];
        var raised = new List<AlarmDto>();
        foreach (var (kind, step, message) in alarms)
        {
            var stored = await db.Database.SqlQueryRaw<AlarmRow>(
                """
                INSERT INTO run_alarms (run_id, kind, step, message, raised_at) VALUES (@run, @kind, @step, @message, now())
                ON CONFLICT (run_id, kind) DO NOTHING
                RETURNING id AS "Id", raised_at AS "RaisedAt"
                """,
                new NpgsqlParameter("run", runId), new NpgsqlParameter("kind", kind), new NpgsqlParameter("step", step),
                new NpgsqlParameter("message", PostgresText.Storable(message))).ToListAsync(cancellationToken);
            raised.AddRange(stored.Select(s => new AlarmDto(s.Id, runId, kind, step, message, s.RaisedAt)));
        }
        return raised;
    }

    public static Task<List<AlarmDto>> AlarmsAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        db.RunAlarms.AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Step).ThenBy(a => a.Id)
            .Select(a => new AlarmDto(a.Id, a.RunId, a.Kind, a.Step, a.Message, a.RaisedAt)).ToListAsync(cancellationToken);

    /// <summary>The kinds each of <paramref name="runIds"/> has raised (runs without alarms are absent).</summary>
    public static async Task<Dictionary<long, List<string>>> AlarmKindsAsync(this RlStudioDbContext db, IReadOnlyCollection<long> runIds,
        CancellationToken cancellationToken) =>
        (await db.RunAlarms.AsNoTracking().Where(a => runIds.Contains(a.RunId)).Select(a => new { a.RunId, a.Kind }).ToListAsync(cancellationToken))
            .GroupBy(a => a.RunId).ToDictionary(g => g.Key, g => g.Select(a => a.Kind).Order(StringComparer.Ordinal).ToList());

    private sealed record AlarmRow(long Id, DateTimeOffset RaisedAt);
}
