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
    private RunReporter? _reporter;

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
        await using var reporter = _reporter = RunReporter.Open(ingest, runId, options.Value.EffectiveSpoolDir, options.Value.SpoolBytes, logger);
        try
        {
            step = await TrainClaimedRunAsync(claim, reporter, created => trainer = created, cancellationToken);
        }
        catch (IngestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // The run is no longer ours (marked Lost after a stall and claimed again, or finished elsewhere).
            logger.LogWarning("Run {RunId} was taken from {Worker}; stopping without reporting: {Error}", runId, _worker, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is shutting down: the run keeps its last checkpoint; its stale heartbeat marks it Lost.
            logger.LogWarning("Run {RunId} interrupted by worker shutdown at step {Step}", runId, trainer?.CompletedSteps ?? step);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId} failed", runId);
            await ReportFailureAsync(runId, step, ex.Message);
        }
    }

    /// <summary>Failed, after everything reported before it (the spool is flushed first); sent directly when the spool itself failed.</summary>
    private async Task ReportFailureAsync(long runId, int step, string error)
    {
        var update = new RunStatusUpdate(_worker, RunStatus.Failed, step, error);
        if (_reporter is { } reporter)
        {
            try
            {
                await reporter.StatusAsync(update, CancellationToken.None);
                await reporter.FlushAsync(CancellationToken.None);
                return;
            }
            catch (IngestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                return; // the run is no longer ours
            }
            catch (IngestException ex)
            {
                logger.LogWarning("Run {RunId}: the spool could not deliver ({Error}); reporting the failure directly", runId, ex.Message);
            }
        }
        await ingest.SetStatusAsync(runId, update, CancellationToken.None);
    }

    private async Task<int> TrainClaimedRunAsync(RunClaim claim, RunReporter reporter, Action<Trainer> onCreated, CancellationToken cancellationToken)
    {
        // Settings changes due at the first step train from it on: they are part of the options the trainer starts with.
        var schedule = new SettingChangeSchedule();
        schedule.Add(claim.SettingChanges);
        var startChanges = schedule.TakeDue(claim.ResumeStep);
        var spec = SettingChanges.ApplyAll(claim.Spec, startChanges);
        var items = await ingest.GetDatasetItemsAsync(spec.DatasetVersionId, cancellationToken);
        var trainerOptions = TrainerOptionsMapper.Map(spec, items.Kind);
        var data = RunTrainingData.From(items, spec);
        if (data.Count == 0) throw new InvalidOperationException($"Dataset version {spec.DatasetVersionId} has no items.");
        using var rewards = await rewardFactory.CreateAsync(spec.Rewards, cancellationToken);

        using var trainer = await CreateTrainerAsync(claim, trainerOptions, data, rewards.Rewards, cancellationToken);
        onCreated(trainer);
        foreach (var change in startChanges)
            await reporter.SettingChangeAsync(change.Id, new SettingChangeApplied(_worker, claim.ResumeStep + 1), cancellationToken);
        await reporter.StatusAsync(new RunStatusUpdate(_worker, RunStatus.Running, trainer.CompletedSteps), cancellationToken);
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
            if (cancellationToken.IsCancellationRequested)
            {
                // The node is stopping: keep this step boundary, so the run resumes from here rather than an older checkpoint.
                if (lastCheckpointStep != trainer.CompletedSteps) await CheckpointOnShutdownAsync(claim.RunId, reporter, trainer);
                cancellationToken.ThrowIfCancellationRequested();
            }
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
            // While the web host is away (null) training goes on; its reports wait in the spool.
            var reply = await ingest.TryReportProgressAsync(claim.RunId, new RunProgress(_worker, report.Step), cancellationToken);
            if (reply is { CancelRequested: true })
            {
                await SaveCheckpointAsync(reporter, trainer, cancellationToken);
                return await FinishAsync(claim.RunId, reporter, RunStatus.Cancelled, trainer.CompletedSteps, cancellationToken);
            }
            if (reply is { PauseRequested: true } && trainer.CompletedSteps < trainerOptions.Steps)
            {
                // Paused at this step boundary: its checkpoint is where `continue` picks the run up. The process exits and frees
                // its device, unless the run keeps it: then it waits here, and goes on in place when continued.
                await SaveCheckpointAsync(reporter, trainer, cancellationToken);
                lastCheckpointStep = trainer.CompletedSteps;
                var paused = await FinishAsync(claim.RunId, reporter, RunStatus.Paused, trainer.CompletedSteps, cancellationToken);
                if (!spec.Settings.KeepDeviceWhilePaused || !await HoldWhilePausedAsync(claim.RunId, cancellationToken)) return paused;
                // Continued in place: settings changed while paused apply before the next step, as after a resume.
                reply = await ingest.TryReportProgressAsync(claim.RunId, new RunProgress(_worker, trainer.CompletedSteps), cancellationToken);
            }
            if (trainer.CompletedSteps % spec.Settings.CheckpointEvery == 0)
            {
                await SaveCheckpointAsync(reporter, trainer, cancellationToken);
                lastCheckpointStep = trainer.CompletedSteps;
            }
            schedule.Add(reply?.SettingChanges);
            foreach (var change in schedule.TakeDue(trainer.CompletedSteps))
            {
                spec = await ApplyAsync(claim.RunId, change, spec, items.Kind, trainer, rewards.Rewards, reporter, cancellationToken);
                trainerOptions = trainer.Options;
            }
        }
        if (lastCheckpointStep != trainer.CompletedSteps) await SaveCheckpointAsync(reporter, trainer, cancellationToken);
        return await FinishAsync(claim.RunId, reporter, RunStatus.Succeeded, trainer.CompletedSteps, cancellationToken);
    }

    /// <summary>
    /// Applies a settings change at this step boundary (the next step trains with it) and reports it; a change the trainer
    /// refuses is reported with the reason and leaves the settings as they were.
    /// </summary>
    private async Task<RunSpec> ApplyAsync(long runId, SettingChangeDto change, RunSpec spec, Contracts.Datasets.DatasetKind data, Trainer trainer,
        IReadOnlyList<WeightedReward> functions, RunReporter reporter, CancellationToken cancellationToken)
    {
        var step = trainer.CompletedSteps + 1;
        try
        {
            var changed = SettingChanges.Apply(spec, change.Changes);
            // Only prompt runs score with the reward functions (agentic runs with their environments, preference runs with pairs).
            IReadOnlyList<WeightedReward> reweighted = data == Contracts.Datasets.DatasetKind.Prompts
                ? functions.Select((f, i) => f with { Weight = changed.Rewards[i].Weight }).ToArray()
                : [];
            trainer.Adjust(TrainerOptionsMapper.Map(changed, data), reweighted);
            await reporter.SettingChangeAsync(change.Id, new SettingChangeApplied(_worker, step), cancellationToken);
            logger.LogInformation("Run {RunId} settings change {ChangeId} applied from step {Step}: {Changes}", runId, change.Id, step, change.Changes.ToJsonString());
            return changed;
        }
        catch (ArgumentException refused)
        {
            logger.LogWarning("Run {RunId} settings change {ChangeId} refused: {Error}", runId, change.Id, refused.Message);
            await reporter.SettingChangeAsync(change.Id, new SettingChangeApplied(_worker, step, refused.Message), cancellationToken);
            return spec;
        }
    }

    /// <summary>How often a paused trainer that keeps its device asks whether it was continued.</summary>
    private static readonly TimeSpan PausedPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits, device kept, while the run is Paused (the heartbeat goes on, so the web host knows it can continue in place):
    /// true when it was continued here (Running), false when it went elsewhere (queued again, cancelled, ended).
    /// </summary>
    private async Task<bool> HoldWhilePausedAsync(long runId, CancellationToken cancellationToken)
    {
        logger.LogInformation("Run {RunId} paused with its device kept; waiting to be continued", runId);
        while (true)
        {
            await Task.Delay(PausedPoll, cancellationToken);
            var status = (await ingest.GetStatusAsync(runId, cancellationToken)).Status;
            if (status == RunStatus.Paused) continue;
            logger.LogInformation("Run {RunId} is {Status}: {Next}", runId, status, status == RunStatus.Running ? "going on in place" : "releasing the device");
            return status == RunStatus.Running;
        }
    }

    /// <summary>The final status, after every report before it has reached the web host (waiting out an outage).</summary>
    private async Task<int> FinishAsync(long runId, RunReporter reporter, RunStatus status, int step, CancellationToken cancellationToken)
    {
        await reporter.StatusAsync(new RunStatusUpdate(_worker, status, step), cancellationToken);
        await reporter.FlushAsync(cancellationToken);
        logger.LogInformation("Run {RunId} {Status} at step {Step}", runId, status, step);
        return step;
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

    /// <summary>How long a stopping node waits for the web host to take the shutdown checkpoint.</summary>
    private static readonly TimeSpan ShutdownDelivery = TimeSpan.FromSeconds(30);

    private async Task CheckpointOnShutdownAsync(long runId, RunReporter reporter, Trainer trainer)
    {
        await SaveCheckpointAsync(reporter, trainer, CancellationToken.None);
        using var deadline = new CancellationTokenSource(ShutdownDelivery);
        try
        {
            await reporter.FlushAsync(deadline.Token);
            logger.LogInformation("Run {RunId} checkpointed at step {Step} as the node stops; it resumes from there", runId, trainer.CompletedSteps);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Run {RunId}: the web host did not take the shutdown checkpoint of step {Step} within {Timeout}", runId, trainer.CompletedSteps, ShutdownDelivery);
        }
    }

    private static async Task SaveCheckpointAsync(RunReporter reporter, Trainer trainer, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        trainer.SaveCheckpoint(buffer);
        await reporter.CheckpointAsync(trainer.CompletedSteps, buffer.ToArray(), cancellationToken);
    }
}
