using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Storage;
using RlStudio.Web.Audit;
using RlStudio.Web.Auth;
using RlStudio.Web.Live;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Alarms;

/// <summary>
/// Watches runs for alarms (<see cref="AlarmRules"/>) off the ingest path: ingest calls <see cref="MetricsWritten"/> with
/// the points it stored, and when one of them is a series a rule reads, the run is checked in the background — its recent
/// series read, the rules evaluated against its settings, new alarms stored (once per run and kind) and pushed with the
/// run's summary to every open page; with the run's alarmPause setting, the run is paused at its next step boundary.
/// </summary>
public sealed class AlarmMonitor(IServiceScopeFactory scopes, RunNotifier notifier, ILogger<AlarmMonitor> logger) : BackgroundService
{
    private readonly Channel<long> _runs = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a check of the run when <paramref name="points"/> touch a series a rule reads.</summary>
    public void MetricsWritten(long runId, IReadOnlyList<MetricPoint> points)
    {
        if (points.Any(p => AlarmRules.IsRead(p.Key))) _runs.Writer.TryWrite(runId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _runs.Reader.WaitToReadAsync(stoppingToken))
        {
            var due = new HashSet<long>();
            while (_runs.Reader.TryRead(out var runId)) due.Add(runId);
            foreach (var runId in due)
            {
                try
                {
                    await CheckAsync(runId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Checking run {RunId} for alarms failed", runId);
                }
            }
        }
    }

    /// <summary>Evaluates the rules on the run's recent series; returns the alarms newly raised.</summary>
    public async Task<IReadOnlyList<AlarmDto>> CheckAsync(long runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RlStudioDbContext>();
        var spec = await db.LatestSpecAsync(runId, cancellationToken);   // thresholds as changed while the run trains
        if (spec is null) return [];
        var series = await RecentSeriesAsync(db, runId, cancellationToken);
        var raised = await db.RaiseAsync(runId, AlarmRules.Evaluate(spec.Settings, series), cancellationToken);
        if (raised.Count == 0) return raised;
        foreach (var alarm in raised) logger.LogWarning("Run {RunId} alarm {Kind} at step {Step}: {Message}", runId, alarm.Kind, alarm.Step, alarm.Message);
        if (spec.Settings.AlarmPause) await PauseAsync(scope.ServiceProvider, runId, raised, cancellationToken);
        await notifier.RunUpdatedAsync(db, runId, cancellationToken);
        return raised;
    }

    /// <summary>The run's alarmPause setting: pause it at its next step boundary, on the record as the alarm's doing.</summary>
    private async Task PauseAsync(IServiceProvider services, long runId, IReadOnlyList<AlarmDto> raised, CancellationToken cancellationToken)
    {
        if (await services.GetRequiredService<RunCommands>().PauseAsync(runId, cancellationToken) != CancelOutcome.Changed) return;
        var kinds = string.Join(", ", raised.Select(a => a.Kind));
        logger.LogWarning("Run {RunId} pausing on its alarm ({Kinds}): alarmPause is on", runId, kinds);
        await services.GetRequiredService<AuditLog>().RecordAsync(new Caller(null, $"alarm: {kinds}", null, null, null), "run.pause", "run", runId,
            after: new { Alarms = raised.Select(a => a.Kind) }, cancellationToken: cancellationToken);
    }

    /// <summary>The last <see cref="AlarmRules.Window"/> points of each series a rule reads, in step order.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<SeriesPoint>>> RecentSeriesAsync(RlStudioDbContext db, long runId, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQueryRaw<SeriesRow>(
            """
            SELECT key AS "Key", step AS "Step", value AS "Value" FROM (
                SELECT key, step, value, row_number() OVER (PARTITION BY key ORDER BY step DESC) AS newest
                FROM metric_points WHERE run_id = @run AND (key = ANY(@keys) OR key LIKE 'eval/%/pass@1')
            ) recent WHERE newest <= @window
            """,
            new NpgsqlParameter("run", runId), new NpgsqlParameter("keys", AlarmRules.Keys.ToArray()), new NpgsqlParameter("window", AlarmRules.Window))
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Key).ToDictionary(g => g.Key,
            g => (IReadOnlyList<SeriesPoint>)g.OrderBy(r => r.Step).Select(r => new SeriesPoint(r.Step, r.Value)).ToList());
    }

    private sealed record SeriesRow(string Key, int Step, double Value);
}
