using System.Globalization;
using System.Text.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Everything a run reports while it trains — each step's metrics and rollout samples, checkpoints, its final status — in
/// order through the run's <see cref="ReportSpool"/>, so a web host or database that is away for a while delays reports
/// but loses none. Each delivery is idempotent on the server (metrics by run, key and step; rollouts by step and place;
/// checkpoints by step), so one re-sent after a lost answer is stored once.
/// </summary>
public sealed class RunReporter(IngestClient ingest, long runId, ILogger logger) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string Metrics = "metrics";
    private const string Rollouts = "rollouts";
    private const string Status = "status";
    private const string CheckpointPrefix = "checkpoint.";
    private const string SettingChangePrefix = "setting.";

    private ReportSpool? _spool;

    /// <summary>Opens the run's spool under <paramref name="spoolRoot"/> (emptied: see <see cref="ReportSpool.Open"/>).</summary>
    public static RunReporter Open(IngestClient ingest, long runId, string spoolRoot, long spoolBytes, ILogger logger)
    {
        var reporter = new RunReporter(ingest, runId, logger);
        reporter._spool = ReportSpool.Open(Path.Combine(spoolRoot, $"run-{runId}"), spoolBytes, reporter.DeliverAsync, logger);
        return reporter;
    }

    private ReportSpool Spool => _spool ?? throw new InvalidOperationException("Open the reporter first.");

    /// <summary>One step's metrics and rollouts.</summary>
    public async Task ReportAsync(StepReport report, CancellationToken cancellationToken)
    {
        // A metric that must stay finite stopped the run before this (TrainingDivergedException); others may be
        // undefined for a step (NaN) and are left out.
        var points = report.Metrics.Where(m => double.IsFinite(m.Value)).Select(m => new MetricPoint(m.Key, report.Step, m.Value)).ToArray();
        await Spool.AddAsync(Metrics, JsonSerializer.SerializeToUtf8Bytes(new MetricBatch(points), Json), cancellationToken);
        if (report.Rollouts.Count == 0) return;
        var samples = report.Rollouts
            .Select(r => new RolloutDto(report.Step, r.Group, r.Prompt, r.Completion, r.Reference, r.Reward, r.Rewards, r.Advantage, r.Tokens,
                Turns: r.Turns?.Select(t => new EpisodeTurnDto(t.Observation, t.Action, t.StepReward, t.ValidAction, t.Reward)).ToArray()))
            .ToArray();
        await Spool.AddAsync(Rollouts, JsonSerializer.SerializeToUtf8Bytes(new RolloutBatch(samples), Json), cancellationToken);
    }

    /// <summary>A checkpoint of the weights after <paramref name="step"/>.</summary>
    public Task CheckpointAsync(int step, byte[] content, CancellationToken cancellationToken) =>
        Spool.AddAsync(CheckpointPrefix + step.ToString(CultureInfo.InvariantCulture), content, cancellationToken);

    /// <summary>That settings change <paramref name="changeId"/> was applied from a step on (or refused), in order with the steps around it.</summary>
    public Task SettingChangeAsync(long changeId, SettingChangeApplied report, CancellationToken cancellationToken) =>
        Spool.AddAsync(SettingChangePrefix + changeId.ToString(CultureInfo.InvariantCulture), JsonSerializer.SerializeToUtf8Bytes(report, Json), cancellationToken);

    /// <summary>A status change (Running, Succeeded, Cancelled, Failed), delivered after everything reported before it.</summary>
    public Task StatusAsync(RunStatusUpdate update, CancellationToken cancellationToken) =>
        Spool.AddAsync(Status, JsonSerializer.SerializeToUtf8Bytes(update, Json), cancellationToken);

    /// <summary>Waits until the web host has everything reported so far.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => Spool.FlushAsync(cancellationToken);

    private async Task DeliverAsync(SpooledReport report, CancellationToken cancellationToken)
    {
        var payload = await report.ReadAsync(cancellationToken);
        switch (report.Kind)
        {
            case Metrics:
                await ingest.AppendMetricsAsync(runId, JsonSerializer.Deserialize<MetricBatch>(payload, Json)!, cancellationToken);
                break;
            case Rollouts:
                await ingest.AppendRolloutsAsync(runId, JsonSerializer.Deserialize<RolloutBatch>(payload, Json)!, cancellationToken);
                break;
            case Status:
                await ingest.SetStatusAsync(runId, JsonSerializer.Deserialize<RunStatusUpdate>(payload, Json)!, cancellationToken);
                break;
            case var kind when kind.StartsWith(CheckpointPrefix, StringComparison.Ordinal):
                var step = int.Parse(kind[CheckpointPrefix.Length..], CultureInfo.InvariantCulture);
                var checkpoint = await ingest.UploadCheckpointAsync(runId, step, payload, cancellationToken);
                logger.LogInformation("Run {RunId} checkpoint {CheckpointId} at step {Step} stored: {Bytes} bytes", runId, checkpoint.Id, step, checkpoint.SizeBytes);
                break;
            case var kind when kind.StartsWith(SettingChangePrefix, StringComparison.Ordinal):
                var changeId = long.Parse(kind[SettingChangePrefix.Length..], CultureInfo.InvariantCulture);
                await ingest.ReportSettingChangeAsync(runId, changeId, JsonSerializer.Deserialize<SettingChangeApplied>(payload, Json)!, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unknown report kind '{report.Kind}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null) await _spool.DisposeAsync();
    }
}
