using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Engine;
using RlStudio.Engine.Rewards;
using RlStudio.Worker.Hosting;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Training;

/// <summary>
/// Trains one run, in the training child process (see <see cref="TrainRunJob"/>): claim → load data and weights →
/// step loop (report, honour cancel, checkpoint) → final checkpoint and status. Safe to run twice: a run already
/// claimed elsewhere is left alone. Failures end the run as Failed with the error.
/// </summary>
public sealed class RunTrainer(IngestClient ingest, RewardFunctionFactory rewardFactory, IOptions<WorkerOptions> options, ModelRootGuard roots,
    ILogger<RunTrainer> logger)
{
    private readonly string _worker = options.Value.WorkerName;

    public async Task TrainAsync(long runId, CancellationToken cancellationToken)
    {
        var claim = await ingest.ClaimAsync(runId, _worker, cancellationToken);
        if (claim is null)
        {
            logger.LogInformation("Run {RunId} is not claimable (taken, cancelled or finished); skipping", runId);
            return;
        }
        logger.LogInformation("Run {RunId} claimed by {Worker}", runId, _worker);
        var step = claim.ResumeStep;
        var trainer = default(Trainer);
        await using var heartbeat = RunHeartbeat.Start(ingest, runId, _worker, () => trainer?.CompletedSteps ?? claim.ResumeStep,
            options.Value.RunHeartbeatInterval, logger);
        try
        {
            step = await TrainClaimedRunAsync(claim, created => trainer = created, cancellationToken);
        }
        catch (IngestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // The run is no longer ours (marked Lost after a stall and claimed again, or finished elsewhere).
            logger.LogWarning("Run {RunId} was taken from {Worker}; stopping without reporting: {Error}", runId, _worker, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is shutting down: the run keeps its last checkpoint; its stale heartbeat marks it Lost.
            logger.LogWarning("Run {RunId} interrupted by worker shutdown at step {Step}", runId, step);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId} failed", runId);
            await ingest.SetStatusAsync(runId, new RunStatusUpdate(_worker, RunStatus.Failed, step, ex.Message), CancellationToken.None);
        }
    }

    private async Task<int> TrainClaimedRunAsync(RunClaim claim, Action<Trainer> onCreated, CancellationToken cancellationToken)
    {
        var spec = claim.Spec;
        var trainerOptions = TrainerOptionsMapper.Map(spec);
        var items = await ingest.GetDatasetItemsAsync(spec.DatasetVersionId, cancellationToken);
        var data = RunTrainingData.From(items, spec.Algorithm);
        if (data.Count == 0) throw new InvalidOperationException($"Dataset version {spec.DatasetVersionId} has no items.");
        using var rewards = await rewardFactory.CreateAsync(spec.Rewards, cancellationToken);

        using var trainer = await CreateTrainerAsync(claim, trainerOptions, data, rewards.Rewards, cancellationToken);
        onCreated(trainer);
        var reporter = new RunReporter(ingest, claim.RunId);
        await ingest.SetStatusAsync(claim.RunId, new RunStatusUpdate(_worker, RunStatus.Running, trainer.CompletedSteps), cancellationToken);
        logger.LogInformation("Run {RunId} training {Algorithm} on {Device} from step {Step} to {Steps}",
            claim.RunId, spec.Algorithm, trainer.DeviceName, trainer.CompletedSteps, trainerOptions.Steps);

        if (trainer.CompletedSteps == 0 && trainerOptions.EvalEvery > 0)
        {
            // Step 0 of the eval curves: the starting checkpoint on the held-out split, so a run's gain is visible.
            var start = trainer.Evaluate();
            if (start.Count > 0) await reporter.ReportAsync(new StepReport(0, start, []), cancellationToken);
        }
        var lastCheckpointStep = trainer.CompletedSteps;
        while (trainer.CompletedSteps < trainerOptions.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StepReport report;
            try
            {
                report = trainer.Step();
            }
            catch (TrainingDivergedException diverged)
            {
                // Nothing of the diverged step is reported or saved: the newest checkpoint is the last good state.
                throw new InvalidOperationException($"{diverged.Message} Nothing of that step was kept; the newest checkpoint is " +
                    (lastCheckpointStep > 0 ? $"step {lastCheckpointStep}" : "none yet (a resume starts from the base)") +
                    $". Resume it with a lower learning rate (POST /api/runs/{claim.RunId}/resume {{\"settings\": {{\"learningRate\": …}}}}).", diverged);
            }
            await reporter.ReportAsync(report, cancellationToken);
            var reply = await ingest.ReportProgressAsync(claim.RunId, new RunProgress(_worker, report.Step), cancellationToken);
            if (reply.CancelRequested)
            {
                await SaveCheckpointAsync(claim.RunId, trainer, cancellationToken);
                await ingest.SetStatusAsync(claim.RunId, new RunStatusUpdate(_worker, RunStatus.Cancelled, trainer.CompletedSteps), cancellationToken);
                logger.LogInformation("Run {RunId} cancelled at step {Step}", claim.RunId, trainer.CompletedSteps);
                return trainer.CompletedSteps;
            }
            if (trainer.CompletedSteps % spec.Settings.CheckpointEvery == 0)
            {
                await SaveCheckpointAsync(claim.RunId, trainer, cancellationToken);
                lastCheckpointStep = trainer.CompletedSteps;
            }
        }
        if (lastCheckpointStep != trainer.CompletedSteps) await SaveCheckpointAsync(claim.RunId, trainer, cancellationToken);
        await ingest.SetStatusAsync(claim.RunId, new RunStatusUpdate(_worker, RunStatus.Succeeded, trainer.CompletedSteps), cancellationToken);
        logger.LogInformation("Run {RunId} succeeded after {Step} steps", claim.RunId, trainer.CompletedSteps);
        return trainer.CompletedSteps;
    }

    /// <summary>Resumes from the run's own newest checkpoint, else starts from its base (preset or checkpoint).</summary>
    private async Task<Trainer> CreateTrainerAsync(
        RunClaim claim, TrainerOptions trainerOptions, RunTrainingData data, IReadOnlyList<WeightedReward> rewards, CancellationToken cancellationToken)
    {
        if (claim.ResumeCheckpointId is { } resumeId)
        {
            var bytes = await ingest.DownloadCheckpointAsync(resumeId, cancellationToken);
            logger.LogInformation("Run {RunId} resuming from checkpoint {CheckpointId}", claim.RunId, resumeId);
            using var stream = new MemoryStream(bytes, writable: false);
            return data.Resume(trainerOptions, stream, rewards);
        }
        if (claim.BaseCheckpointId is { } baseId)
        {
            var bytes = await ingest.DownloadCheckpointAsync(baseId, cancellationToken);
            return data.Create(trainerOptions, new ModelSource.Checkpoint(() => new MemoryStream(bytes, writable: false)), rewards);
        }
        ModelSource source = claim.Spec.Base switch
        {
            { Preset: { } preset } => new ModelSource.Preset(preset),
            { ModelPath: { } path } => new ModelSource.HuggingFaceFolder(roots.Check(path)),
            _ => throw new InvalidOperationException("The run names no base model."),
        };
        return data.Create(trainerOptions, source, rewards);
    }

    private async Task SaveCheckpointAsync(long runId, Trainer trainer, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var buffer = new MemoryStream();
        trainer.SaveCheckpoint(buffer);
        var checkpoint = await ingest.UploadCheckpointAsync(runId, trainer.CompletedSteps, buffer.ToArray(), cancellationToken);
        logger.LogInformation("Run {RunId} checkpoint {CheckpointId} at step {Step}: {Bytes} bytes in {Ms} ms",
            runId, checkpoint.Id, checkpoint.Step, checkpoint.SizeBytes, watch.ElapsedMilliseconds);
    }
}
