using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;

namespace RlStudio.Worker.Training;

/// <summary>Sends one step's metrics and rollout samples to the web host (idempotent by run, key and step).</summary>
public sealed class RunReporter(Ingest.IngestClient ingest, long runId)
{
    public async Task ReportAsync(StepReport report, CancellationToken cancellationToken)
    {
        var points = report.Metrics
            .Where(m => double.IsFinite(m.Value))
            .Select(m => new MetricPoint(m.Key, report.Step, m.Value))
            .ToArray();
        await ingest.AppendMetricsAsync(runId, new MetricBatch(points), cancellationToken);

        if (report.Rollouts.Count == 0) return;
        var samples = report.Rollouts
            .Select(r => new RolloutDto(report.Step, r.Group, r.Prompt, r.Completion, r.Reference, r.Reward, r.Rewards, r.Advantage, r.Tokens))
            .ToArray();
        await ingest.AppendRolloutsAsync(runId, new RolloutBatch(samples), cancellationToken);
    }
}
